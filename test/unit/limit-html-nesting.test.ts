import assert from 'node:assert/strict';
import { flattenDeepHtml, limitHtmlNesting, MAX_HTML_NESTING } from '../../src/mail/inbound/limit-html-nesting';
import { sanitizeEmailHtml } from '../../src/mail/inbound/sanitize-email-html';

describe('limitHtmlNesting', () => {
  it('leaves HTML with too few tags to nest too deep exactly as it is', () => {
    const html = `<div class="x"><p>a < b <!-- note --></p>${'<b>'.repeat(MAX_HTML_NESTING - 2)}</div>`;
    assert.equal(limitHtmlNesting(html), html);
  });

  it('rewrites HTML with more tags than the limit, keeping its structure and text', () => {
    const html = `<div>${'<p>Line</p>'.repeat(MAX_HTML_NESTING)}</div>`;
    assert.equal(limitHtmlNesting(html), html);
    assert.equal(sanitizeEmailHtml(html), html);
  });
});

describe('flattenDeepHtml', () => {
  const rows: Array<{ name: string; html: string; depth: number; expected: string }> = [
    {
      name: 'drops tags below the limit and keeps their text',
      html: '<div><div><div>x</div>y</div></div>',
      depth: 2,
      expected: '<div><div> x y</div></div>',
    },
    { name: 'closes what an end tag closes', html: '<div><b><i>x</div>y', depth: 2, expected: '<div><b> x</div>y' },
    { name: 'counts paragraphs that end themselves as one level', html: '<p>a<p>b<p>c', depth: 1, expected: '<p>a<p>b<p>c' },
    { name: 'counts list items inside paragraphs as levels', html: '<p><li><p><li>x', depth: 2, expected: '<p><li> x' },
    {
      name: 'counts void elements as no level',
      html: '<div>a<br>b<img src="x.png" alt=y>c</div>',
      depth: 1,
      expected: '<div>a<br>b<img src="x.png" alt="y">c</div>',
    },
    {
      name: 'writes attributes plainly',
      html: '<a href=\'https://x.example/?a="1"\' title=t data-x>y</a>',
      depth: 5,
      expected: '<a href="https://x.example/?a=&quot;1&quot;" title="t" data-x>y</a>',
    },
    {
      name: 'reads an end tag inside an attribute value as text',
      html: '<div><a title="></div>">x</a></div>',
      depth: 5,
      expected: '<div><a title="></div>">x</a></div>',
    },
    {
      name: 'leaves out comments, declarations, scripts and styles',
      html: '<!DOCTYPE html>a<!-- <div> --><?xml x?><script>if (a</b) x()</script><style>p{}</style>b',
      depth: 5,
      expected: 'ab',
    },
    { name: 'escapes a "<" that starts no tag', html: 'a < b <3 </ > c', depth: 5, expected: 'a &lt; b &lt;3  c' },
    { name: 'drops the rest of a tag that never ends', html: 'a<div title="x>b', depth: 5, expected: 'a' },
    { name: 'keeps an end tag that closes nothing', html: 'a</div>b</br>c', depth: 5, expected: 'a</div>b</br>c' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      assert.equal(flattenDeepHtml(row.html, row.depth), row.expected);
    });
  }

  it('makes 2.2 MB of nested <div>s quick to sanitise, keeping the text', function () {
    this.timeout(60_000);
    const n = 200_000;
    const started = process.cpuUsage();
    const output = sanitizeEmailHtml(`${'<div>'.repeat(n)}hi${'</div>'.repeat(n)}`);
    const used = process.cpuUsage(started);
    assert.equal(output, `${'<div>'.repeat(MAX_HTML_NESTING)} hi ${'</div>'.repeat(MAX_HTML_NESTING)}`);
    assert.ok((used.user + used.system) / 1000 < 5000);
  });
});

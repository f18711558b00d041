import assert from 'node:assert/strict';
import { flattenDeepHtml } from '../../src/mail/inbound/limit-html-nesting';
import { sanitizeEmailHtml } from '../../src/mail/inbound/sanitize-email-html';

// Whatever goes in, none of these may come out: markup that runs, loads, submits or restyles.
const NEVER_IN_OUTPUT: RegExp[] = [
  /<\s*(script|style|iframe|frame|object|embed|form|input|button|textarea|svg|math|img|base|meta|link)\b/i,
  /\son[a-z]+\s*=/i,
  /\b(javascript|vbscript|data)\s*:/i,
  /\s(style|target|src|srcdoc|action|formaction|xlink:href)\s*=/i,
  /href="(?!https?:\/\/|mailto:)/i,
];

describe('sanitizeEmailHtml', () => {
  const attacks: Array<{ name: string; html: string; expected: string }> = [
    { name: 'an image with an onerror handler', html: '<img src=x onerror=alert(1)>', expected: '' },
    { name: 'a mixed-case javascript: link', html: '<a href="jAvAsCrIpT:alert(1)">x</a>', expected: '<span>x</span>' },
    { name: 'an entity-encoded javascript: link', html: '<a href="&#106;avascript:alert(1)">x</a>', expected: '<span>x</span>' },
    {
      name: 'a fully hex-encoded javascript: link',
      html: '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
      expected: '<span>x</span>',
    },
    {
      name: 'a javascript: link in padded decimal entities without semicolons',
      html: '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
      expected: '<span>x</span>',
    },
    { name: 'a javascript: link with a leading space', html: '<a href=" javascript:alert(1)">x</a>', expected: '<span>x</span>' },
    { name: 'a javascript: link broken by a tab', html: '<a href="java\tscript:alert(1)">x</a>', expected: '<span>x</span>' },
    {
      name: 'a javascript: link broken by an encoded tab',
      html: '<a href="java&#x09;script:alert(1)">x</a>',
      expected: '<span>x</span>',
    },
    { name: 'a javascript: link with &colon;', html: '<a href="javascript&colon;alert(1)">x</a>', expected: '<span>x</span>' },
    {
      name: 'a data: link',
      html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      expected: '<span>x</span>',
    },
    { name: 'a vbscript: link', html: '<a href="VBScript:msgbox(1)">x</a>', expected: '<span>x</span>' },
    { name: 'an svg with onload', html: '<svg onload=alert(1)><circle r="4"/></svg>after', expected: 'after' },
    { name: 'a style element', html: '<style>body{display:none}</style>text', expected: 'text' },
    { name: 'a script element', html: '<script>alert(1)</script>text', expected: 'text' },
    { name: 'an iframe', html: '<iframe src="https://evil.example/"></iframe>text', expected: 'text' },
    {
      name: 'a form that would post to another site',
      html: '<form action="https://evil.example/"><input name="pw"><button formaction="https://evil.example/">Go</button></form>',
      expected: 'Go',
    },
    {
      name: 'the math/mglyph namespace-confusion trick',
      html: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
      expected: '',
    },
    { name: 'a math element with an xlink:href', html: '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', expected: '' },
    {
      name: 'a noscript whose attribute hides a tag',
      html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
      expected: '',
    },
    { name: 'event handlers on allowed tags', html: '<p onclick="alert(1)" onmouseover="x()">hi</p>', expected: '<p>hi</p>' },
    {
      name: 'inline styles and classes',
      html: '<p style="background:url(javascript:alert(1))" class="x" id="y">hi</p>',
      expected: '<p>hi</p>',
    },
    {
      name: 'a base tag and a meta refresh',
      html: '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">t',
      expected: 't',
    },
    { name: 'object and embed', html: '<object data="x.swf"></object><embed src="x.swf">e', expected: 'e' },
    { name: 'a protocol-relative link', html: '<a href="//evil.example/">x</a>', expected: '<span>x</span>' },
    {
      name: 'a link relative to the staff site',
      html: '<a href="/staff/tickets/HD-2026-000001/close">x</a>',
      expected: '<span>x</span>',
    },
    {
      name: 'a tracking pixel',
      html: '<p>Hi<img src="https://track.example/p.gif" width="1" height="1"></p>',
      expected: '<p>Hi</p>',
    },
  ];

  for (const row of attacks) {
    it(`neutralises ${row.name}`, () => {
      const output = sanitizeEmailHtml(row.html);
      assert.equal(output, row.expected);
      for (const pattern of NEVER_IN_OUTPUT) assert.doesNotMatch(output, pattern);
    });
  }

  const kept: Array<{ name: string; html: string; expected: string }> = [
    {
      name: 'an https link, adding rel and dropping target and handlers',
      html: '<a href="https://pacer.uscourts.gov/" target="_blank" onclick="x()" rel="opener">PACER</a>',
      expected: '<a href="https://pacer.uscourts.gov/" rel="noopener noreferrer nofollow">PACER</a>',
    },
    {
      name: 'a mailto link',
      html: '<a href="mailto:clerk@court.example.gov">the clerk</a>',
      expected: '<a href="mailto:clerk@court.example.gov" rel="noopener noreferrer nofollow">the clerk</a>',
    },
    {
      name: 'a link title, and escapes the query string',
      html: '<a href="http://example.com/a?b=1&c=2" title="Docket">d</a>',
      expected: '<a href="http://example.com/a?b=1&amp;c=2" title="Docket" rel="noopener noreferrer nofollow">d</a>',
    },
    {
      name: 'basic formatting',
      html: '<p>Case <b>3:24-cv-01234</b> is <i>sealed</i>, <u>not</u> <strong>closed</strong>.<br>Thanks</p>',
      expected: '<p>Case <b>3:24-cv-01234</b> is <i>sealed</i>, <u>not</u> <strong>closed</strong>.<br />Thanks</p>',
    },
    {
      name: 'lists and quotes',
      html: '<blockquote><ol start="2"><li>One</li></ol><ul><li>Two</li></ul></blockquote>',
      expected: '<blockquote><ol start="2"><li>One</li></ol><ul><li>Two</li></ul></blockquote>',
    },
    {
      name: 'tables with spans but without layout attributes',
      html: '<table border="1" width="100%"><tr><th scope="col">Fee</th><td colspan="2" bgcolor="red">$405</td></tr></table>',
      expected: '<table><tr><th scope="col">Fee</th><td colspan="2">$405</td></tr></table>',
    },
    {
      name: 'the alt text of an image, escaped',
      html: '<p>See <img src="https://x.example/seal.png" alt="Court seal &quot;&gt;&lt;script&gt;"></p>',
      expected: '<p>See <span>[image: Court seal "&gt;&lt;script&gt;]</span></p>',
    },
    {
      name: 'the text of a whole Outlook message without its head',
      html: '<html><head><title>Re: help</title><style>p{margin:0}</style></head><body><div class="WordSection1"><p class="MsoNormal">Hello</p></div></body></html>',
      expected: '<div><p>Hello</p></div>',
    },
  ];

  for (const row of kept) {
    it(`keeps ${row.name}`, () => {
      assert.equal(sanitizeEmailHtml(row.html), row.expected);
    });
  }

  // HTML with many tags is rewritten before it is sanitised (limit-html-nesting.ts): the rewriting
  // must neither let an attack through nor change what a message shows.
  for (const row of [...attacks, ...kept]) {
    it(`gives the same result for ${row.name} once its nesting is limited`, () => {
      const output = sanitizeEmailHtml(flattenDeepHtml(row.html));
      assert.equal(output, row.expected);
      for (const pattern of NEVER_IN_OUTPUT) assert.doesNotMatch(output, pattern);
    });
  }
});

describe('sanitizeEmailHtml masks private data in what staff see', () => {
  const LINK = 'rel="noopener noreferrer nofollow"';
  const masked: Array<{ name: string; html: string; expected: string }> = [
    {
      name: 'a number in a link title',
      html: '<a href="https://forms.example/x" title="SSN 123-45-6789">form</a>',
      expected: `<a href="https://forms.example/x" title="SSN XXX-XX-6789" ${LINK}>form</a>`,
    },
    {
      name: 'numbers in the query of a link',
      html: '<a href="https://forms.example/x?ssn=123456789&dob=03/14/1985">form</a>',
      expected: `<a href="https://forms.example/x?ssn=XXX-XX-6789&amp;dob=XX/XX/1985" ${LINK}>form</a>`,
    },
    {
      name: 'a number in the alt text of an image',
      html: '<img src="https://x.example/card.png" alt="card 4111 1111 1111 1111">',
      expected: '<span>[image: card XXXX1111]</span>',
    },
    {
      name: 'numbers in table cells next to their labels',
      html: '<table><tr><td>SSN</td><td>123456789</td><td>DOB</td><td>03/14/1985</td></tr></table>',
      expected: '<table><tr><td>SSN</td><td>XXX-XX-6789</td><td>DOB</td><td>XX/XX/1985</td></tr></table>',
    },
    {
      name: 'numbers in a table laid out on lines of its own',
      html: '<table>\n  <tr>\n    <td>\n      SSN\n    </td>\n    <td>123456789</td>\n  </tr>\n</table>',
      expected: '<table>\n  <tr>\n    <td>\n      SSN\n    </td>\n    <td>XXX-XX-6789</td>\n  </tr>\n</table>',
    },
    {
      name: 'a number on the next line of the source',
      html: '<p>My SSN is\n123456789</p>',
      expected: '<p>My SSN is\nXXX-XX-6789</p>',
    },
    {
      name: 'a number in bold after its label',
      html: '<p>My SSN: <b>123456789</b>.</p>',
      expected: '<p>My SSN: <b>XXX-XX-6789</b>.</p>',
    },
    {
      name: 'a number split by formatting',
      html: '<p>SSN 123-45-<b>6789</b> thanks</p>',
      expected: '<p>SSN XXX-XX-6789<b></b> thanks</p>',
    },
    {
      name: 'a number written with entities',
      html: '<p>SSN 123&#45;45&#x2d;6789 &amp; more &lt;here&gt;</p>',
      expected: '<p>SSN XXX-XX-6789 &amp; more &lt;here&gt;</p>',
    },
    { name: 'a number in full-width digits', html: '<p>１２３-４５-６７８９</p>', expected: '<p>XXX-XX-6789</p>' },
    { name: 'a number run into a word', html: '<div>123-45-6789DOB</div>', expected: '<div>XXX-XX-6789DOB</div>' },
    {
      name: "a minor's name",
      html: "<p>my son <b>Tommy Smith</b> and <i>Tommy</i>'s school</p>",
      expected: "<p>my son <b>T.S.</b> and <i>T.</i>'s school</p>",
    },
  ];

  for (const row of masked) {
    it(`masks ${row.name}`, () => {
      const output = sanitizeEmailHtml(row.html);
      assert.equal(output, row.expected);
      for (const pattern of NEVER_IN_OUTPUT) assert.doesNotMatch(output, pattern);
    });
  }

  it('leaves case numbers, phone numbers and other dates as they are, in text and attributes', () => {
    const html =
      '<p>Case <a href="https://ecf.example/3:24-cv-01234" title="3:24-cv-01234-JST">3:24-cv-01234</a> filed 03/14/2026; ' +
      'call (866) 555-0100.</p><table><tr><td>Fee</td><td>$405.00</td></tr></table>';
    assert.equal(
      sanitizeEmailHtml(html),
      '<p>Case <a href="https://ecf.example/3:24-cv-01234" title="3:24-cv-01234-JST" rel="noopener noreferrer nofollow">3:24-cv-01234</a> filed 03/14/2026; ' +
        'call (866) 555-0100.</p><table><tr><td>Fee</td><td>$405.00</td></tr></table>',
    );
  });

  it('does not join a label in one paragraph to a number in another', () => {
    assert.equal(sanitizeEmailHtml('<p>Account</p><p>12345678</p>'), '<p>Account</p><p>12345678</p>');
  });
});

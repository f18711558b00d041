import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { readAll } from '../../src/mail/inbound/mail-reader';
import { PARSE_OPTIONS } from '../../src/mail/inbound/read-message';
import { htmlToReadableText, readableBody } from '../../src/mail/inbound/readable-text';
import { maskPrivateData } from '../../src/privacy/mask';
import { rawMail } from '../helpers/mail-factories';

const OWN = ['ecf-help@court.example'];

/** Milliseconds of CPU `work` takes. */
async function cpuTime(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('readable text of an HTML message', () => {
  it('keeps table cells apart, a row to a line, and leaves out empty cells', () => {
    const html =
      '<table><tr><td>SSN</td><td>123-45-6789</td><td>DOB</td></tr>' +
      '<tr><td>Date of birth</td><td> </td><td>03/14/1985</td><td>2 children</td></tr></table>';
    assert.equal(htmlToReadableText(html), 'SSN | 123-45-6789 | DOB\nDate of birth | 03/14/1985 | 2 children');
  });

  it('puts blocks and line breaks on lines of their own', () => {
    assert.equal(htmlToReadableText('<div>Login</div><div>fails</div><p>again<br>today</p>'), 'Login\nfails\n\nagain\ntoday');
  });

  it('reads an HTML-only message with its own conversion, so private numbers in a table are masked', async () => {
    const html = '<table><tr><td>Date of birth</td><td>03/14/1985</td><td>2 children</td></tr></table>';
    const mail = await simpleParser(await rawMail({ text: undefined, html }), PARSE_OPTIONS);
    const body = readableBody(mail);
    assert.equal(body, 'Date of birth | 03/14/1985 | 2 children');
    assert.equal(maskPrivateData(body).text, 'Date of birth | XX/XX/1985 | 2 children');
  });

  it('still prefers a text part written by the sender', async () => {
    const mail = await simpleParser(await rawMail({ text: 'Plain words', html: '<p>HTML words</p>' }), PARSE_OPTIONS);
    assert.equal(readableBody(mail), 'Plain words');
  });
});

describe('HTML nested without end', function () {
  // Measured on the 2-core test machine: 28.9 s of CPU before, then a stack overflow set the message aside.
  this.timeout(120_000);
  const deep = (open: string, close: string, n = 200_000) => `${open.repeat(n)}hi${close.repeat(n)}`;

  it('reads 2.2 MB of nested <div>s in the mail reader within seconds, keeping the text', async () => {
    const raw = await rawMail({ text: undefined, html: deep('<div>', '</div>') });
    let outcome: Awaited<ReturnType<typeof readAll>>[number] | undefined;
    const ms = await cpuTime(async () => {
      [outcome] = await readAll([raw], OWN);
    });
    assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.error : 'read');
    assert.equal(outcome.mail.reading.body, 'hi');
    assert.ok(ms < 5000, `read in ${Math.round(ms)} ms of CPU`);
  });

  for (const [what, html] of [
    ['nested <b>s never closed', `${'<b>'.repeat(400_000)}hi`],
    ['list items inside paragraphs, which no end tag closes', `${'<p><li>'.repeat(150_000)}hi`],
    ['end tags hidden in attribute values', `${'<div><a title="></div>">'.repeat(100_000)}hi`],
    ['end tags hidden in comments', `${'<div><!--</div>-->'.repeat(120_000)}hi`],
  ]) {
    it(`turns ${what} into text within seconds`, async () => {
      let text = '';
      const ms = await cpuTime(() => {
        text = htmlToReadableText(html);
      });
      assert.match(text, /hi$/);
      assert.ok(ms < 5000, `converted in ${Math.round(ms)} ms of CPU`);
    });
  }

  it('keeps text nested deeper than the limit', () => {
    const text = htmlToReadableText(`<p>top</p>${deep('<div>', '</div>', 3000).replace('hi', 'deep words')}<p>after</p>`);
    assert.match(text, /^top\n[\s\S]*deep words[\s\S]*\nafter$/);
  });
});

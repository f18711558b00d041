import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { formatReference } from '../../src/tickets/reference';

describe('staff pages for mail', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
  });
  afterEach(() => t.close());

  async function importMail(...raws: Buffer[]) {
    const ids = await t.services.mail.intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
    return t.services.mail.intake.processPending(ids);
  }

  it('shows emailed HTML cleaned, attachments as downloads, and never the script a sender put in', async () => {
    await importMail(
      await rawMail({
        html: '<p>Upload <em>fails</em></p><script>document.title="pwned"</script><a href="javascript:alert(1)">x</a>',
        attachments: [
          { filename: 'screen.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' },
          { filename: 'заявление “1”.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' },
        ],
      }),
    );
    const ticket = await t.db('tickets').first();
    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get(`/staff/tickets/${formatReference(ticket.reference_year, ticket.id)}`).expect(200);
    assert.match(page.text, /By email from pat\.filer@example\.com/);
    assert.match(page.text, /<em>fails<\/em>/);
    assert.doesNotMatch(page.text, /pwned|javascript:alert/);
    const link = /href="(\/staff\/attachments\/\d+)" download>screen\.png/.exec(page.text);
    assert.ok(link, 'the attachment is offered for download');
    const file = await agent.get(link[1]).expect(200);
    assert.equal(file.headers['content-type'], 'application/octet-stream');
    assert.match(file.headers['content-disposition'], /^attachment; filename="?screen\.png"?$/);
    const other = /href="(\/staff\/attachments\/\d+)" download>заявление/.exec(page.text);
    assert.ok(other, 'a non-ASCII file name is listed');
    const pdf = await agent.get(other[1]).expect(200);
    assert.match(pdf.headers['content-disposition'], /filename\*=UTF-8''/);
  });

  it('lists set-aside mail with the reason, retries it, and lets only administrators download the original', async () => {
    const [outcome] = await importMail(
      Buffer.from(`To: ${MAIL_FROM}\r\nSubject: orphan\r\nMessage-ID: <orphan@x.example>\r\n\r\nHi\r\n`),
    );
    assert.equal(outcome.status, 'quarantined');
    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get('/staff/mail').expect(200);
    assert.match(page.text, /Set aside \(1\)/);
    assert.match(page.text, /no usable sender address/);
    const retried = await agent
      .post(`/staff/mail/${outcome.id}/retry`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    assert.equal(retried.headers.location, '/staff/mail?done=quarantined');
    await agent.get(`/staff/mail/${outcome.id}/raw`).expect(403);
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const raw = await admin.get(`/staff/mail/${outcome.id}/raw`).expect(200);
    assert.match(raw.headers['content-disposition'], /message-\d+\.eml/);
  });

  it('keeps attachments up to the configured size and refuses larger ones', async () => {
    const small = await buildTestApp({ env: { MAIL_FROM, MAIL_ATTACHMENT_MAX_MB: '0.001' } });
    try {
      const ids = await small.services.mail.intake.store([
        {
          raw: await rawMail({
            attachments: [{ filename: 'big.pdf', content: Buffer.alloc(5000, 65), contentType: 'application/pdf' }],
          }),
          source: 'import',
        },
      ]);
      await small.services.mail.intake.processPending(ids);
      const row = await small.db('mail_attachments').first();
      assert.equal(row.refused_reason, 'too_large');
      assert.equal(row.content, null);
    } finally {
      await small.close();
    }
  });

  it('refuses the mail pages to someone not signed in', async () => {
    const res = await request(t.app).get('/staff/mail');
    assert.equal(res.status, 303);
  });
});

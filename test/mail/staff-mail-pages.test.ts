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
        attachments: [{ filename: 'screen.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' }],
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
    assert.match(file.headers['content-disposition'], /attachment; filename="screen\.png"/);
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

  it('refuses the mail pages to someone not signed in', async () => {
    const res = await request(t.app).get('/staff/mail');
    assert.equal(res.status, 303);
  });
});

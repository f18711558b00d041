import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ticketInput } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

describe('email addresses on the forms and the API, and mail sent to them', () => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({
      now: () => new Date('2027-03-10T17:00:00Z'),
      env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'http://helpdesk.test' },
    });
  });
  afterEach(() => t.close());

  it('accepts a quoted local part and an international domain, and mails the domain in its ASCII form', async () => {
    await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ email: '"john doe"@example.com' }))
      .expect(201);
    await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ email: 'user@bücher.de' }))
      .expect(201);
    const stored = (await t.db('tickets').orderBy('id').pluck('requester_email')) as string[];
    assert.deepEqual(stored, ['"john doe"@example.com', 'user@xn--bcher-kva.de']);
    await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'Jörg', phone: '(206) 555-0142', email: 'jörg@bücher.de', start: '2027-03-11T09:00:00-08:00' })
      .expect(201);
    // The calendar invitation names the filer by a mailto: URI (RFC 6068), which encodes what it must.
    const quoted = await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'John Doe', phone: '(206) 555-0142', email: '"john doe"@example.com', start: '2027-03-11T09:15:00-08:00' })
      .expect(201);
    assert.match((await request(t.app).get(new URL(quoted.body.icsUrl).pathname).expect(200)).text, /BEGIN:VEVENT/);

    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(2);
    // The receiver (smtp-server) shows a domain in Unicode; the header says what went over the wire.
    const toHeaders = smtp.messages.map((m) => /^To: (.*)$/im.exec(m.raw.toString('latin1'))?.[1].trim());
    assert.ok(toHeaders.includes('user@xn--bcher-kva.de'), toHeaders.join(', '));
    assert.ok(
      smtp.messages.some((m) => m.envelopeTo.includes('jörg@bücher.de')),
      'a UTF-8 local part is delivered too',
    );
    // (The test receiver refuses a quoted local part at RCPT TO, so that one is not followed here.)
  });

  it('refuses a local part over 64 octets and an address over 254 with too_long', async () => {
    for (const email of [`${'a'.repeat(300)}@example.com`, `${'a'.repeat(65)}@example.com`, `a@${'abcdefghi.'.repeat(25)}com`]) {
      const res = await request(t.app).post('/api/tickets').send(ticketInput({ email })).expect(400);
      assert.deepEqual(res.body.errors[0], { field: 'email', code: 'too_long', message: 'This email address is too long.' });
    }
    const booking = await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'x', phone: '(206) 555-0142', email: `${'a'.repeat(65)}@example.com`, start: '2027-03-11T09:00:00-08:00' })
      .expect(400);
    assert.equal(booking.body.errors[0].code, 'too_long');
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0);
  });
});

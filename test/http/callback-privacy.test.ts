import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST
const TOPIC = 'My SSN is 123-45-6789 and my date of birth is 03/15/1980. The PDF will not upload.';
const PRIVATE = /123-45-6789|03\/15\/1980|123456789/;

const booking = (extra: Record<string, unknown> = {}) => ({
  name: 'Casey Caller',
  phone: '(206) 555-0142',
  email: 'casey@example.com',
  start: '2027-03-11T09:00:00-08:00',
  ...extra,
});

describe('callbacks: the topic is masked and a ticket is linked only for its requester', () => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({ now, env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'http://helpdesk.test' } });
  });
  afterEach(() => t.close());

  it('masks private numbers in the topic on every page, file and email, warns the filer, and keeps the original for administrators', async () => {
    const res = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ topic: TOPIC }))
      .expect(201);
    assert.match(res.body.privacyWarning, /We hid some private numbers/);
    const row = await t.db('callbacks').first();
    assert.equal(row.topic, 'My SSN is XXX-XX-6789 and my date of birth is XX/XX/1980. The PDF will not upload.');

    const path = new URL(res.body.manageUrl).pathname;
    const manage = await request(t.app).get(path).expect(200);
    assert.doesNotMatch(manage.text, PRIVATE);
    assert.match(manage.text, /XXX-XX-6789/);
    assert.match(manage.text, /Private information hidden/);
    const ics = await request(t.app).get(`${path}/invite.ics`).expect(200);
    assert.doesNotMatch(ics.text.replace(/\r\n[ \t]/g, ''), PRIVATE);

    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(1);
    assert.doesNotMatch(smtp.messages[0].raw.toString('utf8'), PRIVATE);
    const mail = await simpleParser(smtp.messages[0].raw);
    assert.doesNotMatch(mail.text ?? '', PRIVATE);
    assert.doesNotMatch(String(mail.html), PRIVATE);
    for (const a of mail.attachments) assert.doesNotMatch(a.content.toString('utf8').replace(/\r\n[ \t]/g, ''), PRIVATE);
    assert.match(mail.text ?? '', /XXX-XX-6789/);
    assert.match(mail.text ?? '', /We hid some private numbers/);

    const agent = await signedInAgent(t, await buildStaff(t));
    const board = await agent.get('/staff/callbacks').expect(200);
    assert.match(board.text, /XXX-XX-6789/);
    assert.doesNotMatch(board.text, PRIVATE);
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const adminBoard = await admin.get('/staff/callbacks').expect(200);
    assert.match(adminBoard.text, /administrators only/);
    assert.ok(adminBoard.text.includes('123-45-6789'), 'the original is there for an administrator');
  });

  it('masks the topic booked from the page without JavaScript, and says so on the page that follows', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/callbacks').expect(200);
    const res = await agent
      .post('/callbacks')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), ...booking({ topic: TOPIC }) })
      .expect(303);
    const page = await agent.get(res.headers.location).expect(200);
    assert.doesNotMatch(page.text, PRIVATE);
    assert.match(page.text, /Private information hidden/);
    assert.match(page.text, /Your callback is booked/);
  });

  it('says nothing about private information when the topic has none', async () => {
    const res = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ topic: 'Cannot upload a PDF' }))
      .expect(201);
    assert.equal(res.body.privacyWarning, undefined);
    const manage = await request(t.app).get(new URL(res.body.manageUrl).pathname).expect(200);
    assert.doesNotMatch(manage.text, /Private information hidden/);
    assert.equal((await t.db('callbacks').first()).topic, 'Cannot upload a PDF');
  });

  it('links a booking to a ticket only when its email is the ticket requester’s, in any case', async () => {
    const { ticket } = await buildTicket(t, { email: 'Pat.Filer@Example.com' });
    const mine = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ email: 'PAT.FILER@example.COM', ticketReference: ticket.reference }))
      .expect(201);
    assert.equal((await t.db('callbacks').where({ id: mine.body.id }).first()).ticket_id, ticket.id);
  });

  it('books without the link, and answers the same whether or not the reference exists, for anyone else', async () => {
    const { ticket } = await buildTicket(t, { email: 'pat.filer@example.com' });
    const someoneElse = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ email: 'mallory@example.com', ticketReference: ticket.reference }))
      .expect(201);
    const unknown = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ email: 'mallory@example.com', ticketReference: 'HD-2026-999999' }))
      .expect(201);
    const nonsense = await request(t.app)
      .post('/api/callbacks')
      .send(booking({ email: 'mallory@example.com', ticketReference: 'not a reference', start: '2027-03-11T09:15:00-08:00' }))
      .expect(201);
    for (const res of [someoneElse, unknown, nonsense]) {
      assert.deepEqual(Object.keys(res.body).sort(), ['end', 'icsUrl', 'id', 'manageUrl', 'start', 'status']);
      assert.equal((await t.db('callbacks').where({ id: res.body.id }).first()).ticket_id, null);
    }
  });
});

import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { runJob } from '../../src/jobs/job-runner';
import { insertAnswer } from '../../src/status/outage-reports.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const PUBLIC_URL = 'http://help.court.example';
// Thursday, December 3, 2026 at 9:05 a.m. Pacific Standard Time.
const THURSDAY_0905 = new Date('2026-12-03T17:05:00Z');

const report = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pat Filer',
  email: 'pat.filer@example.com',
  scope: 'cmecf',
  description: 'The filing screen shows an error 500 every time I press Submit.',
  ...overrides,
});

describe('outage reports by email: receipts, answering all, notices', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;
  let clock: Date;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    clock = THURSDAY_0905;
    t = await buildTestApp({ now: () => clock, env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL } });
  });
  afterEach(() => t.close());

  const declare = (scope = 'cmecf', message = 'CM/ECF is not accepting filings. We are working on it.') =>
    t.services.outages.declare({ scope, message, startedAt: '2026-12-03T08:40', actor: 'cli' });

  /** Delivers everything the outbox holds, then the messages received so far, parsed. */
  async function delivered(expected: number): Promise<ParsedMail[]> {
    while ((await t.services.mail.sender?.deliverDue())?.sent) {
      // next batch
    }
    await smtp.waitFor(expected);
    assert.equal(smtp.messages.length, expected);
    return Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
  }

  it('emails the receipt once, through the outbox, with the facts of the receipt page', async () => {
    await declare();
    const res = await request(t.app)
      .post('/api/status/reports')
      .send(report({ observedAt: '2026-12-03T08:50' }))
      .expect(201);
    const [mail] = await delivered(1);
    assert.deepEqual(smtp.messages[0].envelopeTo, ['pat.filer@example.com']);
    assert.equal(mail.headers.get('auto-submitted'), 'auto-replied');
    assert.match(mail.subject ?? '', new RegExp(`\\[${res.body.reference}\\]`));
    const text = mail.text ?? '';
    assert.match(text, /Thursday, December 3, 2026 at 9:05 a\.m\. PST/);
    assert.match(text, /Thursday, December 3, 2026 at 8:50 a\.m\. PST/);
    assert.match(text, /Thursday, December 3, 2026 at 8:40 a\.m\. PST/);
    assert.match(text, /Pacific Time/);
    assert.match(text, /CM\/ECF is not accepting filings\. We are working on it\./);
    assert.match(text, /cannot tell you whether a deadline/);
    assert.ok(text.includes(res.body.receiptUrl), 'the receipt link');
    assert.match(mail.html || '', new RegExp(res.body.reference));

    // Nothing is sent twice.
    await t.services.mail.sender?.deliverDue();
    assert.equal(smtp.messages.length, 1);
    assert.equal(Number((await t.db('outbox').count({ n: '*' }))[0].n), 1);
  });

  it('keeps the per-address cap on automatic mail when one address sends many reports, and stores every report', async () => {
    await declare();
    const sent = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        request(t.app)
          .post('/api/status/reports')
          .send(report({ description: `Still down, try ${i}` })),
      ),
    );
    assert.deepEqual(
      sent.map((r) => r.status),
      Array(14).fill(201),
    );
    assert.equal(Number((await t.db('outage_reports').count({ n: '*' }))[0].n), 14);
    const byStatus = (await t.db('outbox').select('status', 'suppressed_reason', 'kind')) as Array<{
      status: string;
      suppressed_reason: string | null;
      kind: string;
    }>;
    assert.equal(byStatus.length, 14);
    assert.equal(byStatus.filter((r) => r.status === 'pending').length, 10);
    assert.deepEqual(
      byStatus.filter((r) => r.status === 'suppressed').map((r) => r.suppressed_reason),
      Array(4).fill('sender_cap'),
    );
    await delivered(10);
  });

  it('answers all reports of an outage with one reply to each, threaded under its receipt; a second submission sends nothing more', async () => {
    const outage = await declare();
    const references: string[] = [];
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com'])
      references.push((await request(t.app).post('/api/status/reports').send(report({ email })).expect(201)).body.reference);
    const other = await buildTicket(t, { email: 'other@example.com' });
    const receipts = await delivered(3);
    smtp.clear();

    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const agent = await signedInAgent(t, staff);
    const page = await agent.get(`/staff/status/${outage.id}/reports`).expect(200);
    const formKey = /name="formKey" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(formKey);
    const answer = {
      _csrf: csrfTokenFrom(page.text),
      formKey,
      body: 'CM/ECF is working again since 11:20 a.m. Please try your filing again.',
    };
    clock = new Date(THURSDAY_0905.getTime() + 3 * 3_600_000);
    await t.services.outages.end(outage.id, { actor: 'cli' });
    const first = await agent.post(`/staff/status/${outage.id}/reports/answer`).type('form').send(answer).expect(303);
    assert.equal(first.headers.location, `/staff/status/${outage.id}/reports?done=answered`);
    // The same form sent again (a double click, or Back and send).
    await agent.post(`/staff/status/${outage.id}/reports/answer`).type('form').send(answer).expect(303);

    const replies = await delivered(3);
    assert.deepEqual(smtp.messages.map((m) => m.envelopeTo[0]).sort(), ['a@example.com', 'b@example.com', 'c@example.com']);
    for (const reply of replies) {
      assert.match(reply.text ?? '', /CM\/ECF is working again since 11:20 a\.m\./);
      assert.equal(reply.headers.get('auto-submitted'), undefined, 'a person answered');
      const reference = /\[(HD-\d{4}-\d{6})\]/.exec(reply.subject ?? '')?.[1] as string;
      assert.ok(references.includes(reference));
      const receipt = receipts.find((r) => r.subject?.includes(reference)) as ParsedMail;
      assert.notEqual(reply.inReplyTo, reply.messageId, 'a reply does not answer itself');
      assert.equal(reply.inReplyTo, receipt.messageId, 'threaded under the receipt');
      assert.ok(String(reply.references ?? '').includes(receipt.messageId as string));
    }
    const events = await t.db('outage_events').where({ outage_id: outage.id, kind: 'answered' });
    assert.equal(events.length, 1);
    assert.equal(events[0].actor, `staff:${staff.id}`);
    assert.equal(
      await t
        .db('ticket_messages')
        .where({ direction: 'out', author: 'staff' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      3,
    );
    assert.equal(
      (await t.db('ticket_messages').where({ ticket_id: other.ticket.id })).length,
      1,
      'other requests are not answered',
    );

    const list = await agent.get(`/staff/status/${outage.id}/reports?done=answered`).expect(200);
    assert.match(list.text, /CM\/ECF is working again/);
    assert.match(list.text, /3 of 3 reports/);
  });

  /** The number of reports an answer has reached. */
  const reached = async (answerId: number) =>
    Number((await t.db('outage_answer_replies').where({ answer_id: answerId }).count({ n: '*' }).first())?.n);

  it('goes on in the background when the answer takes longer than staff wait, and the page says so', async () => {
    await t.close();
    t = await buildTestApp({
      now: () => clock,
      env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL },
      serviceDeps: { outageAnswerWaitMs: 0 },
    });
    const outage = await declare();
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'])
      await request(t.app).post('/api/status/reports').send(report({ email })).expect(201);
    await delivered(4);
    smtp.clear();
    const agent = await signedInAgent(t, await buildStaff(t, { name: 'Sam Agent' }));
    const page = await agent.get(`/staff/status/${outage.id}/reports`).expect(200);
    const sent = await agent
      .post(`/staff/status/${outage.id}/reports/answer`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        formKey: /name="formKey" value="([^"]+)"/.exec(page.text)?.[1],
        body: 'CM/ECF is working again.',
      })
      .expect(303);
    assert.equal(sent.headers.location, `/staff/status/${outage.id}/reports?done=answering`);
    const notice = await agent.get(sent.headers.location).expect(200);
    assert.match(notice.text, /Your answer is being sent to the reports of this outage/);

    const answer = await t.db('outage_answers').first();
    for (let i = 0; i < 200 && (await reached(answer.id)) < 4; i += 1) await new Promise((r) => setTimeout(r, 25));
    assert.equal(await reached(answer.id), 4, 'the background run reached every report');
    assert.match((await agent.get(`/staff/status/${outage.id}/reports`).expect(200)).text, /reached 4 of 4 reports/);
    const replies = await delivered(4);
    assert.ok(replies.every((r) => /CM\/ECF is working again\./.test(r.text ?? '')));
  });

  it('sends, by the outage-answers job, what a stopped process left unsent: to reports received before the answer only', async () => {
    const outage = await declare();
    for (const email of ['a@example.com', 'b@example.com'])
      await request(t.app).post('/api/status/reports').send(report({ email })).expect(201);
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    clock = new Date(THURSDAY_0905.getTime() + 3_600_000);
    // Kept, then the process stopped before any reply.
    const answerId = (await insertAnswer(t.db, {
      outage_id: outage.id,
      form_key: 'stopped-before-sending',
      body: 'CM/ECF is working again; please file now.',
      staff_id: staff.id,
      created_at: clock.toISOString(),
    })) as number;
    clock = new Date(THURSDAY_0905.getTime() + 2 * 3_600_000);
    const late = (
      await request(t.app)
        .post('/api/status/reports')
        .send(report({ email: 'late@example.com' }))
        .expect(201)
    ).body.reference as string;
    await delivered(3);
    smtp.clear();

    assert.deepEqual(await runJob(t, 'outage-answers', clock), {
      job: 'outage-answers',
      status: 'ran',
      result: { answers: 1, sent: 2 },
    });
    assert.equal(await reached(answerId), 2);
    const replies = await delivered(2);
    assert.deepEqual(smtp.messages.map((m) => m.envelopeTo[0]).sort(), ['a@example.com', 'b@example.com']);
    assert.ok(
      replies.every((r) => !(r.subject ?? '').includes(late)),
      'a report received after the answer is not sent it',
    );
    const again = await runJob(t, 'outage-answers', new Date(clock.getTime() + 10 * 60_000));
    assert.deepEqual(again, { job: 'outage-answers', status: 'ran', result: { answers: 0, sent: 0 } });
  });

  it('puts the outage notice in acknowledgements of other new requests while the outage is on (web, API and email)', async () => {
    await declare('cmecf', 'CM/ECF is not accepting filings. We are working on it.');
    await request(t.app)
      .post('/api/tickets')
      .send({ name: 'Api Filer', email: 'api@example.com', subject: 'Password reset', body: 'The reset link does not arrive.' })
      .expect(201);
    const agent = request.agent(t.app);
    const _csrf = csrfTokenFrom((await agent.get('/help').expect(200)).text);
    await agent
      .post('/help')
      .type('form')
      .send({
        _csrf,
        confirmed: 'yes',
        name: 'Web Filer',
        email: 'web@example.com',
        subject: 'Fee payment',
        body: 'The payment page froze.',
      })
      .expect(303);
    const ids = await t.services.mail.intake.store([
      { raw: await rawMail({ from: 'Mail Filer <mail@example.com>' }), source: 'import' },
    ]);
    await t.services.mail.intake.processPending(ids);

    const acks = await delivered(3);
    for (const ack of acks) {
      for (const part of [ack.text ?? '', ack.html || '']) {
        assert.match(part, /CM\/ECF is not accepting filings\. We are working on it\./, ack.subject);
        assert.match(part, /8:40 a\.m\. PST/);
        assert.match(part, /http:\/\/help\.court\.example\/status/);
      }
    }

    smtp.clear();
    await t.services.outages.end('cmecf', { actor: 'cli' });
    await request(t.app)
      .post('/api/tickets')
      .send({ name: 'Api Filer', email: 'api2@example.com', subject: 'Password reset', body: 'The reset link does not arrive.' })
      .expect(201);
    const [after] = await delivered(1);
    assert.doesNotMatch(after.text ?? '', /not accepting filings/);
  });
});

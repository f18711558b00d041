import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { runJob } from '../../src/jobs/job-runner';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent, ticketInput } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const PUBLIC_URL = 'http://helpdesk.test';
const WEDNESDAY_9AM = new Date('2027-03-10T17:00:00Z'); // 09:00 Pacific
const THURSDAY_630AM = new Date('2027-03-11T14:30:00Z'); // the daily summaries' time, court clock
const SATURDAY_630AM = new Date('2027-03-13T14:30:00Z');

describe('email to staff: filer replies and the daily summary', function () {
  this.timeout(30_000);
  let smtp: SmtpReceiver;
  let t: TestApp;
  let clock: Date;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    clock = WEDNESDAY_9AM;
    t = await buildTestApp({ now: () => clock, env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL } });
  });
  afterEach(() => t.close());

  /** Delivers the outbox and returns what reached these addresses, parsed. */
  async function deliveredTo(address: string): Promise<ParsedMail[]> {
    await t.services.mail.sender?.deliverDue();
    const mine = smtp.messages.filter((m) => m.envelopeTo.includes(address));
    return Promise.all(mine.map((m) => simpleParser(m.raw)));
  }

  /** A ticket claimed by `staff` through the ticket page. */
  async function claimedBy(staff: { email: string; password: string }, overrides: Parameters<typeof ticketInput>[0] = {}) {
    const created = await t.services.tickets.create(ticketInput(overrides), 'web');
    const agent = await signedInAgent(t, staff);
    const page = await agent.get(`/staff/tickets/${created.ticket.reference}`).expect(200);
    await agent
      .post(`/staff/tickets/${created.ticket.reference}/claim`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)?.[1] })
      .expect(303);
    return { ...created, agent };
  }

  it('emails the assignee when the filer replies on their status page, private numbers masked', async () => {
    const ada = await buildStaff(t, { name: 'Ada Agent', email: 'ada@court.example' });
    const { ticket, statusToken } = await claimedBy(ada);
    const filer = request.agent(t.app);
    const status = await filer.get(`/requests/${statusToken}`).expect(200);
    // As the status page's form sends it (multipart, for the files a reply may carry).
    await filer
      .post(`/requests/${statusToken}/replies`)
      .field('_csrf', csrfTokenFrom(status.text))
      .field('body', 'It still fails. My SSN is 123-45-6789 if you need it.')
      .expect(303);

    const [mail, ...more] = await deliveredTo('ada@court.example');
    assert.equal(more.length, 0);
    assert.equal(mail.subject, `${ticket.reference}: Pat Filer replied`);
    assert.match(mail.text ?? '', /Pat Filer replied on their request page to HD-\d{4}-\d{6}, a ticket assigned to you/);
    assert.match(mail.text ?? '', /It still fails\. My SSN is XXX-XX-6789 if you need it\./);
    assert.match(mail.text ?? '', new RegExp(`${PUBLIC_URL}/staff/tickets/${ticket.reference}`));
    assert.match(
      mail.text ?? '',
      /turn these emails off on your account page: http:\/\/helpdesk\.test\/staff\/account#notifications/,
    );
    assert.ok(!smtp.messages.some((m) => m.raw.toString().includes('123-45-6789')), 'no private number in any mail');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-replied');
    const row = await t.db('outbox').where({ kind: 'staff_notification' }).first();
    assert.equal(row.ticket_id, null, 'not part of the filer’s thread: an answer to it never reaches the filer');
  });

  it('emails the assignee when the filer replies by email, and no one when the ticket is unassigned or they turned it off', async () => {
    const ada = await buildStaff(t, { name: 'Ada Agent', email: 'ada@court.example' });
    const { ticket, agent } = await claimedBy(ada);
    const reply = (text: string) => rawMail({ subject: `Re: [${ticket.reference}] Cannot log in to CM/ECF`, text });
    let ids = await t.services.mail.intake.store([
      { raw: await reply('Here is the screenshot you asked for.'), source: 'import' },
    ]);
    await t.services.mail.intake.processPending(ids);
    const [mail] = await deliveredTo('ada@court.example');
    assert.match(mail.text ?? '', /Pat Filer replied by email to HD-\d{4}-\d{6}/);
    assert.match(mail.text ?? '', /Here is the screenshot you asked for\./);

    // Ada turns these emails off: the next reply reaches the ticket, not her inbox.
    const account = await agent.get('/staff/account').expect(200);
    await agent
      .post('/staff/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenFrom(account.text), dailySummary: 'on' })
      .expect(303);
    ids = await t.services.mail.intake.store([{ raw: await reply('One more thing.'), source: 'import' }]);
    await t.services.mail.intake.processPending(ids);
    assert.equal((await deliveredTo('ada@court.example')).length, 1);
    assert.equal((await t.db('ticket_messages').where({ ticket_id: ticket.id, direction: 'in' })).length, 3);

    // Nobody has this one: the filer's reply notifies no one.
    const other = await t.services.tickets.create(ticketInput({ email: 'lee@example.com' }), 'web');
    await t.services.tickets.replyAsRequester(other.statusToken, 'Any news?');
    assert.equal(
      await t
        .db('outbox')
        .where({ kind: 'staff_notification' })
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
      1,
    );
  });

  it('sends each agent one summary of their open and overdue tickets a working day, even with two job runners', async () => {
    const ada = await buildStaff(t, { name: 'Ada Agent', email: 'ada@court.example' });
    const bo = await buildStaff(t, { name: 'Bo Agent', email: 'bo@court.example' });
    await buildStaff(t, { name: 'Cy Idle', email: 'cy@court.example' });
    // Wednesday 9:00: Ada's first request gets no answer (its first response is overdue by Thursday).
    const late = await claimedBy(ada, { subject: 'Upload fails, SSN 123-45-6789 in the PDF' });
    const answered = await claimedBy(ada, { subject: 'Where is my NEF?' });
    const version = async (reference: string) =>
      /name="version" value="(\d+)"/.exec((await answered.agent.get(`/staff/tickets/${reference}`)).text)?.[1] as string;
    const page = await answered.agent.get(`/staff/tickets/${answered.ticket.reference}`);
    await answered.agent
      .post(`/staff/tickets/${answered.ticket.reference}/reply`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        version: await version(answered.ticket.reference),
        body: 'Check your spam folder.',
      })
      .expect(303);
    await claimedBy(bo, { subject: 'Fee question' });
    smtp.clear();

    // Two jobs processes fire at the same scheduled minute: one runs, the other finds the lease held.
    clock = THURSDAY_630AM;
    const [first, second] = await Promise.all([
      runJob(t, 'daily-summaries', THURSDAY_630AM),
      runJob(t, 'daily-summaries', new Date(THURSDAY_630AM.getTime() + 500)),
    ]);
    assert.deepEqual([first.status, second.status].sort(), ['ran', 'skipped']);
    const ran = first.status === 'ran' ? first : second;
    assert.deepEqual(ran.status === 'ran' && ran.result, { queued: 2, alreadySent: 0 });
    // The lease is kept half a day after a run; a run later the same day (Thursday evening) sends nothing again.
    const later = await runJob(t, 'daily-summaries', new Date(THURSDAY_630AM.getTime() + 13 * 3_600_000));
    assert.deepEqual(later, { job: 'daily-summaries', status: 'ran', result: { queued: 0, alreadySent: 2 } });

    const [summary, ...more] = await deliveredTo('ada@court.example');
    assert.equal(more.length, 0);
    assert.equal(summary.subject, 'Your open tickets: 2 open, 1 overdue');
    const text = summary.text ?? '';
    assert.match(text, /Your open tickets on Thursday, March 11, 2027: 2, 1 of them overdue\./);
    assert.match(
      text,
      new RegExp(`Overdue: answer these first \\(1\\):\\n  - ${late.ticket.reference}: Upload fails, SSN XXX-XX-6789 in the PDF`),
    );
    assert.match(text, /first answer was due Wednesday, March 10, 2027 at 11:00 a\.m\. PST/);
    assert.match(text, new RegExp(`Waiting for the filer \\(1\\):\\n  - ${answered.ticket.reference}: Where is my NEF\\?`));
    assert.doesNotMatch(text, /Fee question/, 'only their own tickets');
    assert.equal((await deliveredTo('bo@court.example')).length, 1);
    assert.equal((await deliveredTo('cy@court.example')).length, 0, 'no summary without open tickets');
    assert.ok(!smtp.messages.some((m) => m.raw.toString().includes('123-45-6789')), 'no private number in any mail');

    // Friday morning: a new day, a new summary; Saturday the helpdesk is closed, so none.
    const friday = await runJob(t, 'daily-summaries', new Date(THURSDAY_630AM.getTime() + 27 * 3_600_000));
    assert.deepEqual(friday.status === 'ran' && friday.result, { queued: 2, alreadySent: 0 });
    const saturday = await runJob(t, 'daily-summaries', SATURDAY_630AM);
    assert.deepEqual(saturday.status === 'ran' && saturday.result, { skipped: 'the helpdesk is closed today' });
  });

  it('sends no summary to someone who turned it off', async () => {
    const ada = await buildStaff(t, { name: 'Ada Agent', email: 'ada@court.example' });
    const { agent } = await claimedBy(ada);
    const account = await agent.get('/staff/account').expect(200);
    await agent
      .post('/staff/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenFrom(account.text), filerReplies: 'on' })
      .expect(303);
    const outcome = await runJob(t, 'daily-summaries', THURSDAY_630AM);
    assert.deepEqual(outcome.status === 'ran' && outcome.result, { queued: 0, alreadySent: 0 });
    assert.equal((await deliveredTo('ada@court.example')).length, 0);
  });
});

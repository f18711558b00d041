import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { runJob, type JobOutcome } from '../../src/jobs/job-runner';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const PUBLIC_URL = 'http://helpdesk.test';
const WEDNESDAY_9AM = new Date('2027-03-10T17:00:00Z'); // 09:00 PST

/** The properties of an iCalendar text (lines unfolded, first occurrence wins), after checking its frame. */
function icsFields(ics: string): Map<string, string> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split(/\r\n/);
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 1);
  assert.equal(lines.filter((l) => l === 'END:VEVENT').length, 1);
  assert.ok(lines.includes('END:VCALENDAR'));
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z-]+)(;[^:]*)?:(.*)$/.exec(line);
    if (match && !fields.has(match[1])) fields.set(match[1], match[3]);
  }
  return fields;
}

/** What a job reported, after checking that it ran (and was not skipped for a held lease). */
function resultOf(outcome: JobOutcome) {
  assert.equal(outcome.status, 'ran');
  return outcome.status === 'ran' ? outcome.result : undefined;
}

/** The one calendar attachment of a message, parsed. */
function invitationOf(mail: ParsedMail): Map<string, string> {
  const calendars = mail.attachments.filter((a) => a.contentType === 'text/calendar');
  assert.equal(calendars.length, 1, 'one text/calendar attachment');
  return icsFields(calendars[0].content.toString('utf8'));
}

describe('callback mail and background jobs', () => {
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

  const book = async (start: string) =>
    (
      await request(t.app)
        .post('/api/callbacks')
        .send({ name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', start, topic: 'PDF will not upload' })
        .expect(201)
    ).body as { id: number; manageUrl: string };

  /** Delivers the outbox and returns the `count` messages received so far, parsed. */
  async function delivered(count: number): Promise<ParsedMail[]> {
    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(count);
    assert.equal(smtp.messages.length, count);
    return Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
  }

  /** Posts a manage-page form (reschedule or cancel) `times` times, as a double click would. */
  async function manageForm(manageUrl: string, action: 'reschedule' | 'cancel', fields: Record<string, string> = {}, times = 1) {
    const path = new URL(manageUrl).pathname;
    const agent = request.agent(t.app);
    const _csrf = csrfTokenFrom((await agent.get(path).expect(200)).text);
    const statuses: number[] = [];
    for (let i = 0; i < times; i += 1) {
      statuses.push(
        (
          await agent
            .post(`${path}/${action}`)
            .type('form')
            .send({ _csrf, ...fields })
        ).status,
      );
    }
    return statuses;
  }

  it('emails a booking confirmation in plain words with the time zone, the phone, the private link and a REQUEST invitation', async () => {
    const booking = await book('2027-03-11T09:00:00-08:00');
    const [mail] = await delivered(1);
    assert.equal(mail.subject, 'Your phone callback is booked');
    assert.deepEqual(smtp.messages[0].envelopeTo, ['casey@example.com']);
    assert.equal(mail.headers.get('auto-submitted'), 'auto-replied');
    assert.match(mail.text ?? '', /Hello Casey Caller/);
    assert.match(mail.text ?? '', /Thursday, March 11, 2027 at 9:00 a\.m\. PST \(Pacific Time\)/);
    assert.match(mail.text ?? '', /We will call: \(206\) 555-0142/);
    assert.ok(booking.manageUrl.startsWith(`${PUBLIC_URL}/callbacks/manage/`));
    assert.ok((mail.text ?? '').includes(booking.manageUrl), 'the private link in the text');
    assert.ok(String(mail.html).includes(`href="${booking.manageUrl}"`), 'the private link in the HTML');
    const calendar = mail.attachments.find((a) => a.contentType === 'text/calendar');
    assert.deepEqual((calendar?.headers.get('content-type') as { params?: Record<string, string> }).params?.method, 'REQUEST');
    const ics = invitationOf(mail);
    assert.equal(ics.get('METHOD'), 'REQUEST');
    assert.equal(ics.get('UID'), `callback-${booking.id}@court.ecf-helpdesk`);
    assert.equal(ics.get('SEQUENCE'), '0');
    assert.equal(ics.get('DTSTART'), '20270311T170000Z');
    assert.equal(ics.get('STATUS'), 'CONFIRMED');
    assert.match(ics.get('ORGANIZER') ?? '', new RegExp(`mailto:${MAIL_FROM}`, 'i'));
  });

  it('emails the new time on reschedule: same UID, higher SEQUENCE, the earlier time named', async () => {
    const booking = await book('2027-03-11T09:00:00-08:00');
    assert.deepEqual(await manageForm(booking.manageUrl, 'reschedule', { start: '2027-03-15T09:00:00-07:00' }), [303]);
    const [confirmation, change] = await delivered(2);
    assert.equal(change.subject, 'Your phone callback has a new time');
    assert.match(change.text ?? '', /Monday, March 15, 2027 at 9:00 a\.m\. PDT \(Pacific Time\)/);
    assert.match(change.text ?? '', /The earlier time, Thursday, March 11, 2027 at 9:00 a\.m\. PST, no longer applies/);
    assert.ok((change.text ?? '').includes(booking.manageUrl));
    const before = invitationOf(confirmation);
    const after = invitationOf(change);
    assert.equal(after.get('METHOD'), 'REQUEST');
    assert.equal(after.get('UID'), before.get('UID'));
    assert.ok(Number(after.get('SEQUENCE')) > Number(before.get('SEQUENCE')), 'SEQUENCE raised');
    assert.equal(after.get('DTSTART'), '20270315T160000Z');
  });

  it('tells the filer the new time when staff record "no answer" and the call moves', async () => {
    const booking = await book('2027-03-11T09:00:00-08:00');
    clock = new Date('2027-03-11T17:05:00Z'); // the call time has come
    const staff = await buildStaff(t);
    const moved = await t.services.board.record(
      booking.id,
      (await t.db('staff_users').where({ email: staff.email }).first()).id,
      'no_answer',
      '',
    );
    assert.equal(moved.status, 'booked');
    const [confirmation, change] = await delivered(2);
    assert.equal(change.subject, 'Your phone callback has a new time');
    assert.match(change.text ?? '', /The earlier time, Thursday, March 11, 2027 at 9:00 a\.m\. PST, no longer applies/);
    assert.equal(invitationOf(change).get('UID'), invitationOf(confirmation).get('UID'));
    assert.ok(Number(invitationOf(change).get('SEQUENCE')) > Number(invitationOf(confirmation).get('SEQUENCE')));
  });

  it('emails a cancellation with METHOD:CANCEL, once even when the cancel button is pressed twice', async () => {
    const booking = await book('2027-03-11T09:00:00-08:00');
    assert.deepEqual(await manageForm(booking.manageUrl, 'cancel', {}, 2), [303, 303]);
    const [confirmation, cancellation] = await delivered(2);
    assert.equal(cancellation.subject, 'Your phone callback is cancelled');
    assert.match(cancellation.text ?? '', /This is the call we will no longer make/);
    assert.ok((cancellation.text ?? '').includes(`${PUBLIC_URL}/callbacks`));
    const ics = invitationOf(cancellation);
    assert.equal(ics.get('METHOD'), 'CANCEL');
    assert.equal(ics.get('STATUS'), 'CANCELLED');
    assert.equal(ics.get('UID'), invitationOf(confirmation).get('UID'));
    assert.ok(Number(ics.get('SEQUENCE')) > 0);
    assert.equal((await t.db('outbox').where({ kind: 'callback_cancelled' })).length, 1);
  });

  it('sends one reminder the day before the call, even when the job runs twice; none for a call booked the same day', async () => {
    await book('2027-03-12T10:00:00-08:00'); // Friday, booked 49 hours ahead
    await book('2027-03-10T15:00:00-08:00'); // this afternoon: the confirmation is reminder enough
    assert.deepEqual((await runJob(t, 'callback-reminders', new Date('2027-03-10T20:00:00Z'))).status, 'ran');
    assert.deepEqual(await runJob(t, 'callback-reminders', new Date('2027-03-11T17:00:00Z')), {
      job: 'callback-reminders',
      status: 'ran',
      result: { reminded: 0 },
    });
    const thursday1030 = new Date('2027-03-11T18:30:00Z');
    assert.deepEqual((await runJob(t, 'callback-reminders', thursday1030)).status, 'ran');
    const again = await runJob(t, 'callback-reminders', new Date(thursday1030.getTime() + 5 * 60_000));
    assert.deepEqual(again, { job: 'callback-reminders', status: 'ran', result: { reminded: 0 } });
    const mails = await delivered(3);
    const reminders = mails.filter((m) => m.subject === 'Reminder: the helpdesk will call you');
    assert.equal(reminders.length, 1);
    assert.match(reminders[0].text ?? '', /Friday, March 12, 2027 at 10:00 a\.m\. PST \(Pacific Time\)/);
    assert.match(reminders[0].text ?? '', /We will call: \(206\) 555-0142/);
    assert.match(reminders[0].text ?? '', /link in the email that confirmed your booking/);
  });

  it('alerts the helpdesk address once per ticket whose first answer is overdue', async () => {
    const due = async (at: string | null, changes: Record<string, unknown> = {}) => {
      const { ticket } = await buildTicket(t);
      await t
        .db('tickets')
        .where({ id: ticket.id })
        .update({ first_response_due_at: at, ...changes });
      return ticket.reference;
    };
    const first = await due('2027-03-10T18:00:00Z');
    const second = await due('2027-03-10T20:00:00Z');
    const answered = await due('2027-03-10T18:00:00Z', { first_response_at: '2027-03-10T17:30:00Z', status: 'open' });
    const resolved = await due('2027-03-10T18:00:00Z', { status: 'resolved' });
    const run = async (iso: string) => runJob(t, 'overdue-alerts', new Date(iso));
    assert.deepEqual(resultOf(await run('2027-03-10T19:00:00Z')), { alerted: 1 });
    assert.deepEqual(resultOf(await run('2027-03-10T19:05:00Z')), { alerted: 0 });
    assert.deepEqual(resultOf(await run('2027-03-10T21:00:00Z')), { alerted: 1 });
    assert.deepEqual(resultOf(await run('2027-03-10T21:05:00Z')), { alerted: 0 });
    const [one, two] = await delivered(2);
    assert.deepEqual(
      smtp.messages.map((m) => m.envelopeTo),
      [[MAIL_FROM], [MAIL_FROM]],
    );
    assert.equal(one.subject, `Overdue: ${first} has had no first answer`);
    assert.ok((one.text ?? '').includes(`${PUBLIC_URL}/staff/tickets/${first}`));
    assert.equal(two.subject, `Overdue: ${second} has had no first answer`);
    for (const mail of [one, two]) {
      for (const reference of [answered, resolved]) assert.ok(!(mail.text ?? '').includes(reference));
    }
  });

  it('runs a job once per period when two runs start together or one after the other, and takes over an expired lease', async () => {
    const outcomes = await Promise.all([runJob(t, 'callback-expiry', clock), runJob(t, 'callback-expiry', clock)]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['ran', 'skipped']);
    // Another process's tick for the same period, a moment after the run ended, finds the job done.
    const late = new Date(clock.getTime() + 20);
    assert.equal((await runJob(t, 'callback-expiry', late)).status, 'skipped', 'one run per period');
    const nextPeriod = new Date(clock.getTime() + 15 * 60_000);
    assert.equal((await runJob(t, 'callback-expiry', nextPeriod)).status, 'ran', 'the next period runs');

    await t.db('job_leases').insert({
      name: 'optimize-database',
      holder: 'another-process',
      acquired_at: clock.toISOString(),
      expires_at: new Date(clock.getTime() + 60_000).toISOString(),
    });
    assert.equal((await runJob(t, 'optimize-database', clock)).status, 'skipped');
    const later = await runJob(t, 'optimize-database', new Date(clock.getTime() + 61_000));
    assert.deepEqual(later, { job: 'optimize-database', status: 'ran', result: { optimized: true, addressesForgotten: 0 } });
    const [lease] = await t.db('job_leases').where({ name: 'optimize-database' });
    assert.equal(
      lease.expires_at,
      new Date(clock.getTime() + 61_000 + 3 * 3600_000).toISOString(),
      'free again after half its period',
    );
  });

  it('answers 410 with a way forward once the call time has passed, on every manage address', async () => {
    const booking = await book('2027-03-10T10:15:00-08:00');
    const path = new URL(booking.manageUrl).pathname;
    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    const csrf = csrfTokenFrom(page.text);
    clock = new Date('2027-03-10T18:30:00Z'); // 10:30 a.m.: the 15-minute slot has ended
    const gone = await agent.get(path).expect(410);
    assert.match(gone.text, /The time for this call has passed/);
    assert.match(gone.text, /href="\/callbacks"/);
    assert.match(gone.text, /\(866\) 555-0100/);
    await agent.get(`${path}/invite.ics`).expect(410);
    await agent.post(`${path}/reschedule`).type('form').send({ _csrf: csrf, start: '2027-03-11T09:00:00-08:00' }).expect(410);
    await agent.post(`${path}/cancel`).type('form').send({ _csrf: csrf }).expect(410);
    assert.equal((await t.db('callbacks').where({ id: booking.id }).first()).status, 'booked');
  });

  it('marks a past call with no outcome, and the board keeps it under "Needs an outcome" the next day', async () => {
    const booking = await book('2027-03-10T10:15:00-08:00');
    clock = new Date('2027-03-11T17:00:00Z'); // the next morning
    assert.deepEqual(resultOf(await runJob(t, 'callback-expiry', clock)), { marked: 1 });
    // The next period's run finds nothing new to mark.
    assert.deepEqual(resultOf(await runJob(t, 'callback-expiry', new Date(clock.getTime() + 15 * 60_000))), { marked: 0 });
    const staff = await signedInAgent(t, await buildStaff(t));
    const board = await staff.get('/staff/callbacks').expect(200);
    const [needs, today] = board.text.split('<h2>Today</h2>');
    assert.match(needs, /<h2>Needs an outcome<\/h2>/);
    assert.match(needs, /Wednesday, March 10, 2027 at 10:15 a\.m\. PST/);
    assert.match(needs, /Call time passed: record the outcome/);
    assert.match(today, /No calls\./);
    await staff
      .post(`/staff/callbacks/${booking.id}/outcome`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(board.text), outcome: 'completed', notes: '' })
      .expect(303);
    assert.doesNotMatch((await staff.get('/staff/callbacks')).text, /Needs an outcome/);
  });

  it('queues no callback mail when outgoing mail is off, and its jobs say so', async () => {
    const quiet = await buildTestApp({ now: () => clock });
    try {
      await request(quiet.app)
        .post('/api/callbacks')
        .send({ name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', start: '2027-03-12T10:00:00-08:00' })
        .expect(201);
      assert.equal((await quiet.db('outbox')).length, 0);
      assert.deepEqual(resultOf(await runJob(quiet, 'callback-reminders', new Date('2027-03-11T18:30:00Z'))), {
        skipped: 'mail off',
      });
    } finally {
      await quiet.close();
    }
  });
});

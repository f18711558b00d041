import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

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

const count = async (t: TestApp, table: string) =>
  Number(((await t.db(table).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
const tokenOf = (receiptUrl: string) => new URL(receiptUrl).pathname.split('/').pop() as string;

describe('outage reports from filers', function () {
  let t: TestApp;
  let clock: Date;

  beforeEach(async () => {
    clock = THURSDAY_0905;
    t = await buildTestApp({ now: () => clock, env: { PUBLIC_URL } });
  });
  afterEach(() => t.close());

  const declare = (scope = 'cmecf', message = 'CM/ECF is not accepting filings. We are working on it.', startedAt?: string) =>
    t.services.outages.declare({ scope, message, startedAt, actor: 'cli' });

  const apiReport = (overrides: Record<string, unknown> = {}) =>
    request(t.app).post('/api/status/reports').send(report(overrides));

  it('takes a report by the API as a ticket flagged outage_report, linked to the active outage of its scope', async () => {
    const outage = await declare('cmecf', 'CM/ECF is down.', '2026-12-03T08:40');
    const res = await apiReport({ observedAt: '2026-12-03T08:50' }).expect(201);
    assert.match(res.body.reference, /^HD-2026-\d{6}$/);
    assert.equal(res.body.receivedAt, '2026-12-03T09:05:00-08:00');
    assert.equal(res.body.outageId, outage.id);
    assert.match(res.body.receiptUrl, /^http:\/\/help\.court\.example\/status\/receipts\/[A-Za-z0-9_-]{43}$/);

    const ticket = await t.db('tickets').first();
    assert.equal(ticket.status, 'new');
    assert.equal(ticket.channel, 'api');
    assert.deepEqual(JSON.parse(ticket.flags), ['outage_report']);
    // Answered with all the others when the outage ends: no first-response target, no overdue alerts.
    assert.equal(ticket.first_response_due_at, null);
    const row = await t.db('outage_reports').first();
    assert.equal(row.ticket_id, ticket.id);
    assert.equal(row.outage_id, outage.id);
    assert.equal(row.scope, 'cmecf');
    assert.equal(row.observed_at, '2026-12-03T16:50:00.000Z');
    assert.equal(row.received_at, '2026-12-03T17:05:00.000Z');
    // Only the token's hash is kept.
    assert.equal(row.receipt_token_hash, createHash('sha256').update(tokenOf(res.body.receiptUrl)).digest('hex'));
  });

  it('links a report to no outage when none of its scope is on, and says so on the receipt', async () => {
    await declare('pacer', 'PACER searches time out.');
    const ended = await declare('cmecf', 'CM/ECF was slow.');
    await t.services.outages.end(ended.id, { actor: 'cli' });
    clock = new Date(THURSDAY_0905.getTime() + 60_000);
    const res = await apiReport().expect(201);
    assert.equal('outageId' in res.body, false);
    assert.equal((await t.db('outage_reports').first()).outage_id, null);
    assert.notEqual((await t.db('tickets').first()).first_response_due_at, null, 'it waits for an answer like any request');
    const page = await request(t.app).get(new URL(res.body.receiptUrl).pathname).expect(200);
    assert.match(page.text, /No outage had been declared when we received your report/);
  });

  it('keeps a report that asks whether a late filing will be accepted: stored as new with a receipt, never refused', async () => {
    const res = await apiReport({
      description:
        'I missed my deadline because ECF was down at 11:50 pm. Will the judge accept my motion late? Should I file a motion for an extension?',
    }).expect(201);
    const ticket = await t.db('tickets').first();
    assert.equal(ticket.status, 'new');
    assert.deepEqual(JSON.parse(ticket.flags), ['outage_report']);
    const page = await request(t.app).get(new URL(res.body.receiptUrl).pathname).expect(200);
    assert.match(page.text, /cannot tell you whether a deadline/);
  });

  it('masks private numbers and reads case numbers, as every request is, so search finds the report', async () => {
    await apiReport({
      caseNumber: '3:20-cv-01234-JST',
      description: 'Could not file in my case. My SSN is 123-45-6789, in case you need it.',
    }).expect(201);
    const ticket = await t.db('tickets').first();
    assert.deepEqual(JSON.parse(ticket.flags).sort(), ['outage_report', 'privacy_redacted']);
    const message = await t.db('ticket_messages').where({ ticket_id: ticket.id }).first();
    assert.doesNotMatch(message.body_text, /123-45-6789/);
    assert.match(message.body_text, /6789/);
    assert.deepEqual(await t.db('ticket_case_numbers').where({ ticket_id: ticket.id }).pluck('number'), ['3:20-cv-01234']);

    const staff = await buildStaff(t);
    const agent = await signedInAgent(t, staff);
    const found = await agent.get('/staff').query({ q: '3:20-cv-01234', status: 'all' }).expect(200);
    assert.match(found.text, /Outage report/);
  });

  it('refuses bad input with one clear error per problem and stores nothing', async () => {
    const future = '2026-12-03T10:30'; // 85 minutes after the clock, in the court's zone
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ description: '' }, 'description', 'required'],
      [{ description: undefined }, 'description', 'required'],
      [{ scope: 'mainframe' }, 'scope', 'unknown_scope'],
      [{ scope: undefined }, 'scope', 'required'],
      [{ observedAt: 'yesterday morning' }, 'observedAt', 'invalid_time'],
      [{ observedAt: '2026-02-30T10:00' }, 'observedAt', 'invalid_time'],
      [{ observedAt: future }, 'observedAt', 'in_future'],
      [{ observedAt: 12 }, 'observedAt', 'invalid_time'],
      [{ email: 'pat.filer' }, 'email', 'invalid_email'],
      [{ name: ' ' }, 'name', 'required'],
      [{ phone: '123' }, 'phone', 'invalid_phone'],
      [{ caseNumber: 'my case' }, 'caseNumber', 'invalid_case_number'],
      [{ description: 'x'.repeat(20001) }, 'description', 'too_long'],
    ];
    for (const [overrides, field, code] of cases) {
      const res = await apiReport(overrides).expect(400);
      assert.deepEqual(
        res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
        [[field, code]],
        JSON.stringify(overrides).slice(0, 80),
      );
      assert.ok(res.body.errors[0].message.length > 10);
    }
    const several = await request(t.app).post('/api/status/reports').send({ scope: 'x' }).expect(400);
    assert.deepEqual(several.body.errors.map((e: { field: string }) => e.field).sort(), [
      'description',
      'email',
      'name',
      'scope',
    ]);
    await request(t.app).post('/api/status/reports').set('content-type', 'text/plain').send('hello').expect(415);
    for (const table of ['tickets', 'ticket_messages', 'outage_reports', 'outbox']) assert.equal(await count(t, table), 0, table);
  });

  it('takes a report through the page without JavaScript: the error summary keeps what was typed, then the receipt', async () => {
    await declare();
    const agent = request.agent(t.app);
    const form = await agent.get('/status/report').expect(200);
    assert.match(form.text, /<form method="post" action="\/status\/report"/);
    assert.match(form.text, /CM\/ECF is not accepting filings/, 'the form says what is already known to be down');
    const _csrf = csrfTokenFrom(form.text);

    await agent.post('/status/report').type('form').send({ name: 'Pat', email: 'pat@example.com', scope: 'cmecf' }).expect(403);
    const wrong = await agent
      .post('/status/report')
      .type('form')
      .send({ _csrf, name: 'Pat Filer', email: 'pat@example', scope: 'cmecf', description: '', observedAt: '2026-12-03T08:55' })
      .expect(400);
    assert.match(wrong.text, /class="error-summary"/);
    assert.match(wrong.text, /href="#email"/);
    assert.match(wrong.text, /href="#description"/);
    assert.match(wrong.text, /value="Pat Filer"/);
    assert.match(wrong.text, /value="2026-12-03T08:55"/);
    assert.match(wrong.text, /value="cmecf" checked/);
    assert.equal(await count(t, 'tickets'), 0);

    const sent = await agent
      .post('/status/report')
      .type('form')
      .send({
        _csrf,
        name: 'Pat Filer',
        email: 'pat@example.com',
        phone: '',
        caseNumber: '',
        scope: 'cmecf',
        description: 'Submit fails.',
        observedAt: '2026-12-03T08:55',
      })
      .expect(303);
    assert.match(sent.headers.location, /^\/status\/receipts\/[A-Za-z0-9_-]{43}$/);
    const ticket = await t.db('tickets').first();
    assert.equal(ticket.channel, 'web');
    const receipt = await agent.get(sent.headers.location).expect(200);
    assert.match(receipt.text, /HD-2026-\d{6}/);
    assert.match(receipt.text, /Thursday, December 3, 2026 at 8:55 a\.m\. PST/);
    assert.equal(receipt.headers['cache-control'], 'no-store');
  });

  it("shows on the receipt only what the database holds, in the court's zone with the zone named", async () => {
    const outage = await declare('cmecf', 'Filing is unavailable.', '2026-12-03T08:30');
    const res = await apiReport({ observedAt: '2026-12-03T16:45:00Z', caseNumber: '2:24-cr-00077' }).expect(201);
    // Later changes do not rewrite what was declared when the report came in.
    clock = new Date(THURSDAY_0905.getTime() + 3_600_000);
    await t.services.outages.update(outage.id, { message: 'Filing is back for most users.', actor: 'cli' });
    await t.services.outages.end(outage.id, { actor: 'cli' });

    const receiptPath = new URL(res.body.receiptUrl).pathname;
    const page = await request(t.app).get(`${receiptPath}?reference=HD-2026-999999&outage=none`).expect(200);
    const text = page.text;
    assert.match(text, new RegExp(res.body.reference));
    assert.doesNotMatch(text, /HD-2026-999999/);
    assert.match(text, /Thursday, December 3, 2026 at 9:05 a\.m\. PST/, 'received');
    assert.match(text, /Thursday, December 3, 2026 at 8:45 a\.m\. PST/, 'seen by the filer');
    assert.match(text, /Pacific Time/);
    assert.match(text, /Thursday, December 3, 2026 at 8:30 a\.m\. PST/, 'the outage declared start');
    assert.match(text, /Filing is unavailable\./);
    assert.doesNotMatch(text, /Filing is back for most users/);
    assert.match(text, /CM\/ECF/);
    assert.match(text, /2:24-cr-00077/);
    assert.match(text, /cannot tell you whether a deadline/);
    // A stylesheet for paper: the page prints as the receipt alone.
    const stylesheet = /<link rel="stylesheet" href="(\/static\/css\/outage-reports\.css)">/.exec(text)?.[1] as string;
    assert.ok(stylesheet);
    assert.match((await request(t.app).get(stylesheet).expect(200)).text, /@media print \{[^}]*\.site-header nav/);
    // The built-in procedure text, in plain words.
    assert.match(text, /technical failure/i);
  });

  it("points to the court's own technical-failure procedure from its profile", async () => {
    await t.close();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outage-profile-'));
    const file = path.join(dir, 'court.json');
    writeFileSync(
      file,
      JSON.stringify({
        outages: { technicalFailureProcedure: 'Follow section T of the Example Court procedures to ask for relief.' },
      }),
    );
    try {
      t = await buildTestApp({ now: () => clock, env: { PUBLIC_URL, COURT_PROFILE: file } });
      const res = await apiReport().expect(201);
      const page = await request(t.app).get(new URL(res.body.receiptUrl).pathname).expect(200);
      assert.match(page.text, /Follow section T of the Example Court procedures to ask for relief\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts reports against the public POST limit of the sender, page and API alike', async () => {
    await t.close();
    t = await buildTestApp({ now: () => clock, env: { PUBLIC_URL, RATE_LIMIT_PER_MINUTE: '2' } });
    await apiReport().expect(201);
    await request(t.app).post('/status/report').type('form').send({}).expect(403); // no CSRF token, but counted
    const limited = await apiReport().expect(429);
    assert.equal(limited.body.errors[0].code, 'rate_limited');
    assert.equal(await count(t, 'outage_reports'), 1);
  });

  it('answers 404 to a receipt token that is unknown, altered or malformed', async () => {
    const res = await apiReport().expect(201);
    const token = tokenOf(res.body.receiptUrl);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const guess of [altered, 'A'.repeat(43), 'abc', `${token}x`, '..%2F..%2Fhealthz']) {
      const page = await request(t.app).get(`/status/receipts/${guess}`).expect(404);
      assert.doesNotMatch(page.text, new RegExp(res.body.reference));
    }
    // Its status link is not a receipt, and a receipt is not a status link.
    await request(t.app).get(`/requests/${token}`).expect(404);
  });

  it('groups reports in the staff queue: one row per outage with its open reports, linking to their list', async () => {
    const outage = await declare();
    const linked: string[] = [];
    for (let i = 0; i < 4; i += 1)
      linked.push(
        (await apiReport({ email: `filer${i}@example.com`, description: `Cannot file ${i}` }).expect(201)).body.reference,
      );
    const unlinked = (await apiReport({ scope: 'pacer', description: 'PACER search is slow' }).expect(201)).body.reference;
    const ordinary = await buildTicket(t, { subject: 'Password reset link expired' });

    const staff = await buildStaff(t);
    const agent = await signedInAgent(t, staff);
    const queue = await agent.get('/staff').expect(200);
    assert.match(queue.text, new RegExp(ordinary.ticket.reference));
    for (const reference of [...linked, unlinked]) assert.doesNotMatch(queue.text, new RegExp(reference), reference);
    assert.match(queue.text, new RegExp(`href="/staff/status/${outage.id}/reports"[^>]*>[^<]*4 open reports`));
    assert.match(queue.text, /href="\/staff\/status\/none\/reports"[^>]*>[^<]*1 open report</);

    const list = await agent.get(`/staff/status/${outage.id}/reports`).expect(200);
    for (const reference of linked) assert.match(list.text, new RegExp(reference));
    assert.doesNotMatch(list.text, new RegExp(unlinked));
    // An answer still being sent, with email off in this app: kept on the reports, not emailed.
    const answering = await agent.get(`/staff/status/${outage.id}/reports?done=answering`).expect(200);
    assert.match(answering.text, /Your answer is being saved on the reports of this outage;[^<]*It is not emailed/);
    const none = await agent.get('/staff/status/none/reports').expect(200);
    assert.match(none.text, new RegExp(unlinked));
    await agent.get('/staff/status/999/reports').expect(404);
    await agent.get('/staff/status/abc/reports').expect(400);
    await request(t.app).get(`/staff/status/${outage.id}/reports`).expect(303);

    // Resolved reports leave the group; they are listed as tickets where resolved tickets are.
    await t
      .db('tickets')
      .whereIn('id', t.db('outage_reports').where({ outage_id: outage.id }).select('ticket_id'))
      .update({ status: 'resolved' });
    const after = await agent.get('/staff?done=1').expect(200);
    assert.doesNotMatch(after.text, new RegExp(`/staff/status/${outage.id}/reports`));
    const resolved = await agent.get('/staff?status=resolved').expect(200);
    for (const reference of linked) assert.match(resolved.text, new RegExp(reference));
  });
});

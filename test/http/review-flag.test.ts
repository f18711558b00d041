import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildReviewTicket, buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

const REFERENCES = /href="\/staff\/tickets\/(HD-\d{4}-\d{6})"/g;

/** Labelled requests from the fixtures, in file order, to look for one the guard puts in review today. */
function labelledRequests(): Array<{ subject: string; body: string }> {
  const dir = path.join(__dirname, '..', 'fixtures', 'triage', 'written');
  return ['in-scope.en.jsonl', 'hard-negatives.en.jsonl', 'legal-advice.en.jsonl'].flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { subject: string; body: string }),
  );
}

describe('requests the scope guard put in review', () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof buildStaff>>;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeEach(async () => {
    t = await buildTestApp();
    staff = await buildStaff(t, { name: 'Sam Agent', role: 'supervisor' }); // reinstating needs a supervisor
    agent = await signedInAgent(t, staff);
  });
  afterEach(() => t.close());

  async function ticketPage(reference: string) {
    const page = await agent.get(`/staff/tickets/${reference}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
    return { page, version, csrf: csrfTokenFrom(page.text) };
  }

  async function act(reference: string, action: string, fields: Record<string, string> = {}) {
    const { version, csrf } = await ticketPage(reference);
    return agent
      .post(`/staff/tickets/${reference}/${action}`)
      .type('form')
      .send({ _csrf: csrf, version, ...fields });
  }

  const ticketRow = (id: number) =>
    t.db('tickets').where({ id }).first() as Promise<{ status: string; flags: string; version: number }>;
  const corrections = () => t.db('triage_corrections').orderBy('id');
  const events = (id: number) => t.db('ticket_events').where({ ticket_id: id }).orderBy('id');

  it('lists a flagged request first in the queue, marked in plain words, whatever its age', async () => {
    const flagged = await buildReviewTicket(t, { subject: 'Should I file a motion?', createdAt: '2026-11-02T17:00:00.000Z' });
    const judge = await buildReviewTicket(t, { subject: 'About my judge', category: 'judge_contact' });
    await buildTicket(t, { subject: 'Newer plain question' });
    await buildTicket(t, { subject: 'Newest plain question' });
    const res = await agent.get('/staff').expect(200);
    const listed = [...res.text.matchAll(REFERENCES)].map((m) => m[1]);
    assert.deepEqual(listed.slice(0, 2), [judge.ticket.reference, flagged.ticket.reference]);
    assert.equal(listed.length, 4);
    assert.match(res.text, /Needs review: may ask for legal advice/);
    assert.match(res.text, /Needs review: may ask us to contact a judge/);
    assert.doesNotMatch(res.text, /needs_review/, 'staff read words, not the flag’s name');
  });

  // Pages hold 50: the flagged requests end inside a page, or fill a page exactly.
  for (const [flaggedCount, plainCount] of [
    [2, 60],
    [50, 3],
  ]) {
    it(`pages through a queue with ${flaggedCount} flagged requests first, never repeating or skipping one`, async () => {
      const flagged: string[] = [];
      for (let i = 0; i < flaggedCount; i += 1) flagged.push((await buildReviewTicket(t)).ticket.reference);
      const plain: string[] = [];
      for (let i = 0; i < plainCount; i += 1) plain.push((await buildTicket(t, { subject: `Plain ${i}` })).ticket.reference);
      const seen: string[] = [];
      let url: string | null = '/staff';
      while (url) {
        const res: request.Response = await agent.get(url).expect(200);
        seen.push(...[...res.text.matchAll(REFERENCES)].map((m) => m[1]));
        url = /<a href="([^"]+)">Next page<\/a>/.exec(res.text)?.[1].replace(/&amp;/g, '&') ?? null;
      }
      assert.deepEqual(seen, [...[...flagged].reverse(), ...[...plain].reverse()]);
    });
  }

  it('puts a request that intake flagged for review first, with its reasons on the ticket page', async () => {
    // Whichever labelled request the guard is unsure of today (the model is retrained): found by asking it.
    let text: { subject: string; body: string } | undefined;
    for (const candidate of labelledRequests()) {
      const triage = await request(t.app).post('/api/triage').send(candidate).expect(200);
      if (triage.body.review === true) {
        text = candidate;
        break;
      }
    }
    assert.ok(text, 'no labelled request is put in review by the scope guard any more');
    const created = await request(t.app)
      .post('/api/tickets')
      .send({ name: 'Pat Filer', email: 'pat@example.com', ...text })
      .expect(201);
    await buildTicket(t, { subject: 'A newer plain question' });
    const queue = await agent.get('/staff').expect(200);
    assert.equal([...queue.text.matchAll(REFERENCES)][0][1], created.body.reference);
    assert.match(queue.text, /Needs review: may ask/);
    const { page } = await ticketPage(created.body.reference);
    assert.match(page.text, /Needs review: may ask/);
    assert.match(page.text, /<ul><li>[^<]+: “/, 'the reasons the guard gave are listed');
    assert.match(page.text, /Decline as legal advice/);
    assert.match(page.text, /Decline as judge contact/);
    assert.match(page.text, /Dismiss review flag/);
  });

  it('declines as legal advice: rejected with the reason flag, review flag gone, history and a labelled example kept', async () => {
    const { ticket, statusToken } = await buildReviewTicket(t, {
      subject: 'Which motion wins?',
      body: 'Should I file a motion to dismiss or answer the complaint?',
    });
    const { page } = await ticketPage(ticket.reference);
    assert.match(page.text, /Reads like a request for legal advice/, 'the guard’s reasons stay on the page');
    const res = await act(ticket.reference, 'decline', { category: 'legal_advice' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/staff/tickets/${ticket.reference}?done=decline`);
    const row = await ticketRow(ticket.id);
    assert.equal(row.status, 'rejected');
    assert.deepEqual(JSON.parse(row.flags), ['legal_advice']);
    const [event] = await events(ticket.id);
    assert.equal(event.actor, `staff:${staff.id}`);
    assert.equal(event.action, 'review_declined');
    assert.deepEqual(JSON.parse(event.after), { status: 'rejected', reason: 'legal_advice' });
    const [correction] = await corrections();
    assert.equal(correction.ticket_id, ticket.id);
    assert.equal(correction.subject, 'Which motion wins?');
    assert.equal(correction.body, 'Should I file a motion to dismiss or answer the complaint?');
    assert.equal(correction.label, 'legal_advice');
    assert.equal(correction.guard_outcome, 'review');
    assert.equal(correction.staff_user_id, staff.id);
    assert.ok(correction.created_at);

    const after = await agent.get(res.headers.location).expect(200);
    assert.match(after.text, /Declined as legal advice/);
    assert.match(after.text, /Sam Agent declined the request after review/, 'the history says who declined it');
    assert.doesNotMatch(after.text, /Dismiss review flag/);
    const filer = await request(t.app).get(`/requests/${statusToken}`).expect(200);
    assert.match(filer.text, /cannot give legal advice/, 'the filer’s page shows the refusal');
    const rejected = await agent.get('/staff?status=rejected').expect(200);
    assert.match(rejected.text, new RegExp(ticket.reference));
  });

  it('declines as judge contact with the judge contact flag', async () => {
    const { ticket } = await buildReviewTicket(t, { category: 'judge_contact' });
    await act(ticket.reference, 'decline', { category: 'judge_contact' }).then((r) => assert.equal(r.status, 303));
    const row = await ticketRow(ticket.id);
    assert.equal(row.status, 'rejected');
    assert.deepEqual(JSON.parse(row.flags), ['judge_contact']);
    assert.equal((await corrections())[0].label, 'judge_contact');
  });

  it('dismisses the review flag: the request stays in the queue unmarked, as an in-scope example', async () => {
    const { ticket } = await buildReviewTicket(t);
    const res = await act(ticket.reference, 'dismiss-review');
    assert.equal(res.status, 303);
    const row = await ticketRow(ticket.id);
    assert.equal(row.status, 'new');
    assert.deepEqual(JSON.parse(row.flags), []);
    const [event] = await events(ticket.id);
    assert.equal(event.action, 'review_dismissed');
    const [correction] = await corrections();
    assert.equal(correction.label, 'accept');
    assert.equal(correction.guard_outcome, 'review');
    const after = await agent.get(res.headers.location).expect(200);
    assert.match(after.text, /Review flag dismissed/);
    assert.doesNotMatch(after.text, /Decline as legal advice/);
    const queue = await agent.get('/staff').expect(200);
    assert.match(queue.text, new RegExp(ticket.reference));
    assert.doesNotMatch(queue.text, /Needs review/);
  });

  it('keeps a reinstated refusal as an in-scope example of a request the guard refused', async () => {
    const refused = await request(t.app)
      .post('/api/tickets')
      .send({
        name: 'Lee Filer',
        email: 'lee@example.com',
        subject: 'Message for the judge',
        body: 'Please forward my letter to Judge Chen before Friday.',
      })
      .expect(422);
    await act(refused.body.reference, 'reinstate').then((r) => assert.equal(r.status, 303));
    const [correction] = await corrections();
    assert.equal(correction.label, 'accept');
    assert.equal(correction.guard_outcome, 'refuse');
    assert.equal(correction.subject, 'Message for the judge');
    assert.equal(correction.body, 'Please forward my letter to Judge Chen before Friday.');
  });

  it('records a request declined after review, then reinstated, as one the guard was unsure of', async () => {
    const { ticket } = await buildReviewTicket(t);
    await act(ticket.reference, 'decline', { category: 'legal_advice' }).then((r) => assert.equal(r.status, 303));
    await act(ticket.reference, 'reinstate').then((r) => assert.equal(r.status, 303));
    const rows = await corrections();
    assert.deepEqual(
      rows.map((c) => [c.label, c.guard_outcome]),
      [
        ['legal_advice', 'review'],
        ['accept', 'review'],
      ],
    );
  });

  it('refuses a decline without the form’s CSRF token', async () => {
    const { ticket } = await buildReviewTicket(t);
    const { version } = await ticketPage(ticket.reference);
    const res = await agent
      .post(`/staff/tickets/${ticket.reference}/decline`)
      .type('form')
      .send({ version, category: 'legal_advice' });
    assert.equal(res.status, 403);
    assert.equal((await ticketRow(ticket.id)).status, 'new');
    assert.equal((await corrections()).length, 0);
  });

  it('refuses a decline or a dismissal made against a stale version, and shows the latest', async () => {
    const { ticket } = await buildReviewTicket(t);
    const stale = await ticketPage(ticket.reference);
    await act(ticket.reference, 'claim').then((r) => assert.equal(r.status, 303));
    for (const [action, fields] of [
      ['decline', { category: 'legal_advice' }],
      ['dismiss-review', {}],
    ] as const) {
      const res = await agent
        .post(`/staff/tickets/${ticket.reference}/${action}`)
        .type('form')
        .send({ _csrf: stale.csrf, version: stale.version, ...fields });
      assert.equal(res.status, 409);
      assert.match(res.text, /Someone else changed this ticket/);
    }
    const row = await ticketRow(ticket.id);
    assert.equal(row.status, 'open');
    assert.deepEqual(JSON.parse(row.flags), ['needs_review']);
    assert.equal((await corrections()).length, 0);
  });

  it('lets no one who is not signed in as staff decline or dismiss', async () => {
    const { ticket, statusToken } = await buildReviewTicket(t);
    const { version } = await ticketPage(ticket.reference);
    // A filer's browser, with a valid form token of its own (from the filer's status page).
    const filer = request.agent(t.app);
    const own = await filer.get(`/requests/${statusToken}`).expect(200);
    for (const action of ['decline', 'dismiss-review']) {
      const res = await filer
        .post(`/staff/tickets/${ticket.reference}/${action}`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(own.text), version, category: 'legal_advice' });
      assert.equal(res.status, 401);
    }
    const row = await ticketRow(ticket.id);
    assert.equal(row.status, 'new');
    assert.deepEqual(JSON.parse(row.flags), ['needs_review']);
    assert.equal((await corrections()).length, 0);
  });

  it('refuses clearly to decline or dismiss a request that is not waiting for review', async () => {
    const { ticket } = await buildTicket(t);
    const decline = await act(ticket.reference, 'decline', { category: 'legal_advice' });
    assert.equal(decline.status, 400);
    assert.match(decline.text, /not waiting for review/);
    const dismiss = await act(ticket.reference, 'dismiss-review');
    assert.equal(dismiss.status, 400);
    assert.match(dismiss.text, /not waiting for review/);
    assert.equal((await ticketRow(ticket.id)).status, 'new');
    assert.equal((await corrections()).length, 0);
  });

  it('asks for a reason when a decline names none it knows', async () => {
    const { ticket } = await buildReviewTicket(t);
    const res = await act(ticket.reference, 'decline', { category: 'rudeness' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Choose why the request is declined: legal advice or judge contact\./);
    assert.equal((await ticketRow(ticket.id)).status, 'new');
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST

describe('staff callbacks board', () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeEach(async () => {
    t = await buildTestApp({ now });
    agent = await signedInAgent(t, await buildStaff(t, { name: 'Sam Agent' }));
  });
  afterEach(() => t.close());

  const book = async (start: string, extra: Record<string, string> = {}) =>
    (
      await request(t.app)
        .post('/api/callbacks')
        .send({ name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', start, topic: 'PDF upload', ...extra })
        .expect(201)
    ).body as { id: number };

  async function outcome(id: number, value: string, notes = '') {
    const page = await agent.get('/staff/callbacks').expect(200);
    return agent
      .post(`/staff/callbacks/${id}/outcome`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), outcome: value, notes });
  }

  it('lists today and upcoming calls in the court time, with the linked request', async () => {
    const { ticket } = await buildTicket(t);
    // Linked because the booking is the requester's own (their email).
    await book('2027-03-10T11:00:00-08:00', { ticketReference: ticket.reference, email: ticket.requesterEmail });
    await book('2027-03-12T09:00:00-08:00');
    const res = await agent.get('/staff/callbacks').expect(200);
    const [today, upcoming] = res.text.split('<h2>Upcoming</h2>');
    assert.match(today, /Wednesday, March 10, 2027 at 11:00 a\.m\. PST/);
    assert.match(today, new RegExp(ticket.reference));
    assert.match(upcoming, /Friday, March 12, 2027 at 9:00 a\.m\. PST/);
  });

  it('records a completed call with notes, and who made it', async () => {
    const { id } = await book('2027-03-10T11:00:00-08:00');
    await outcome(id, 'completed', 'Walked through the upload.').then((r) => assert.equal(r.status, 303));
    const row = await t.db('callbacks').where({ id }).first();
    assert.equal(row.status, 'completed');
    assert.equal(row.staff_notes, 'Walked through the upload.');
    assert.ok(row.handled_by);
    assert.equal((await outcome(id, 'completed')).status, 409, 'an outcome is recorded once');
  });

  it('moves an unanswered call to the next free time, and marks it unreachable after three tries', async () => {
    const { id } = await book('2027-03-10T11:00:00-08:00');
    const first = await outcome(id, 'no_answer');
    assert.match(first.headers.location, /moved=2027-03-10T10%3A00%3A00-08%3A00/);
    let row = await t.db('callbacks').where({ id }).first();
    assert.equal(row.status, 'booked');
    assert.equal(row.attempts, 1);
    assert.equal(row.ics_sequence, 1);
    await outcome(id, 'no_answer');
    await outcome(id, 'no_answer');
    row = await t.db('callbacks').where({ id }).first();
    assert.equal(row.status, 'unreachable');
    assert.equal(row.attempts, 3);
  });

  it('refuses an unknown outcome and an unknown call', async () => {
    const { id } = await book('2027-03-10T11:00:00-08:00');
    assert.equal((await outcome(id, 'maybe')).status, 400);
    assert.equal((await outcome(99999, 'completed')).status, 404);
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFrom } from '../helpers/factories';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST
const booking = (start: string, extra: Record<string, unknown> = {}) => ({
  name: 'Casey Caller',
  phone: '(206) 555-0142',
  email: 'casey@example.com',
  start,
  topic: 'Cannot upload a PDF',
  ...extra,
});

describe('callbacks API and pages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({ now });
  });
  afterEach(() => t.close());

  it('lists bookable slots with the court offset and seats left', async () => {
    const res = await request(t.app).get('/api/callbacks/slots').query({ from: '2027-03-11', days: 1 }).expect(200);
    assert.equal(res.body.timezone, 'America/Los_Angeles');
    assert.deepEqual(res.body.slots[0], { start: '2027-03-11T09:00:00-08:00', end: '2027-03-11T09:15:00-08:00', remaining: 2 });
    await request(t.app).get('/api/callbacks/slots').query({ from: 'tomorrow' }).expect(400);
    await request(t.app).get('/api/callbacks/slots').query({ days: 99 }).expect(400);
  });

  it('books a slot: 201 with a manage link and an invitation; phone stored as E.164', async () => {
    const res = await request(t.app).post('/api/callbacks').send(booking('2027-03-11T09:00:00-08:00')).expect(201);
    assert.equal(res.body.status, 'booked');
    assert.equal(res.body.start, '2027-03-11T09:00:00-08:00');
    assert.equal(res.body.end, '2027-03-11T09:15:00-08:00');
    assert.match(res.body.manageUrl, /\/callbacks\/manage\/[A-Za-z0-9_-]{43}$/);
    const ics = await request(t.app).get(new URL(res.body.icsUrl).pathname).expect(200);
    assert.match(ics.headers['content-type'], /text\/calendar/);
    assert.match(ics.text, /UID:callback-1@court\.ecf-helpdesk/);
    assert.match(ics.text, /SEQUENCE:0/);
    assert.match(ics.text, /DTSTART:20270311T170000Z/);
    const row = await t.db('callbacks').first();
    assert.equal(row.phone, '+12065550142');
  });

  it('gives exactly 2 of 50 simultaneous bookings of a slot with capacity 2; the rest get slot_full', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(t.app)
          .post('/api/callbacks')
          .send(booking('2027-03-11T10:00:00-08:00', { email: `c${i}@example.com` })),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 2);
    assert.equal(statuses.filter((s) => s === 409).length, 48);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.errors[0].code, 'slot_full');
    assert.equal((await t.db('callbacks').where({ status: 'booked' }).count({ n: '*' }))[0].n, 2);
    const slots = await request(t.app).get('/api/callbacks/slots').query({ from: '2027-03-11', days: 1 });
    assert.ok(!slots.body.slots.some((s: { start: string }) => s.start === '2027-03-11T10:00:00-08:00'));
  });

  for (const [start, code] of [
    ['2027-03-11T08:00:00-08:00', 'outside_hours'],
    ['2027-03-13T10:00:00-08:00', 'closed_day'],
    ['2027-03-10T09:30:00-08:00', 'too_soon'],
    ['2027-05-10T10:00:00-07:00', 'too_far'],
  ] as const) {
    it(`refuses ${start} with 400 ${code}`, async () => {
      const res = await request(t.app).post('/api/callbacks').send(booking(start)).expect(400);
      assert.equal(res.body.errors[0].code, code);
    });
  }

  it('refuses a phone number that cannot be called, and a missing time', async () => {
    const res = await request(t.app)
      .post('/api/callbacks')
      .send(booking('2027-03-11T09:00:00-08:00', { phone: '555' }))
      .expect(400);
    assert.equal(res.body.errors[0].code, 'invalid_phone');
    const missing = await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'x', phone: '(206) 555-0142', email: 'x@example.com' })
      .expect(400);
    assert.deepEqual(
      missing.body.errors.map((e: { field: string }) => e.field),
      ['start'],
    );
  });

  it('applies the scope guard to the topic', async () => {
    const res = await request(t.app)
      .post('/api/callbacks')
      .send(booking('2027-03-11T09:00:00-08:00', { topic: 'Please tell the judge I will be late' }))
      .expect(422);
    assert.equal(res.body.errors[0].code, 'judge_contact');
  });

  it('reschedules (SEQUENCE raised, old seat freed) and cancels through the private link', async () => {
    const res = await request(t.app).post('/api/callbacks').send(booking('2027-03-11T09:00:00-08:00')).expect(201);
    const path = new URL(res.body.manageUrl).pathname;
    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    assert.match(page.text, /Thursday, March 11, 2027 at 9:00 a\.m\. PST/);
    await agent
      .post(`${path}/reschedule`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), start: '2027-03-15T09:00:00-07:00' })
      .expect(303);
    const moved = await agent.get(path).expect(200);
    assert.match(moved.text, /Monday, March 15, 2027 at 9:00 a\.m\. PDT/);
    assert.match((await agent.get(`${path}/invite.ics`)).text, /SEQUENCE:1/);
    const bad = await agent
      .post(`${path}/reschedule`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(moved.text), start: '2027-03-13T09:00:00-08:00' })
      .expect(400);
    assert.match(bad.text, /closed that day/);
    await agent
      .post(`${path}/cancel`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(moved.text) })
      .expect(303);
    const cancelled = await agent.get(path).expect(200);
    assert.match(cancelled.text, /Cancelled/);
    assert.match((await agent.get(`${path}/invite.ics`)).text, /METHOD:CANCEL/);
    await request(t.app).get('/callbacks/manage/not-a-token').expect(404);
  });

  it('books from the page without JavaScript, with field errors next to the fields', async () => {
    const agent = request.agent(t.app);
    // The day comes first (SPEC §15): days are links, then the chosen day's times.
    const days = await agent.get('/callbacks').expect(200);
    assert.match(days.text, /href="\?day=2027-03-11"/);
    assert.doesNotMatch(days.text, /name="start"/);
    const page = await agent.get('/callbacks?day=2027-03-11').expect(200);
    assert.match(page.text, /value="2027-03-11T09:00:00-08:00"/);
    const bad = await agent
      .post('/callbacks')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), name: '', phone: 'x', email: 'y' })
      .expect(400);
    assert.match(bad.text, /id="phone-error"/);
    const ok = await agent
      .post('/callbacks')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), ...booking('2027-03-11T09:15:00-08:00') })
      .expect(303);
    assert.match(ok.headers.location, /\/callbacks\/manage\/.+\?done=booked$/);
  });
});

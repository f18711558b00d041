import assert from 'node:assert/strict';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';

describe('home, hours and health', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('says the helpdesk is open during profile hours (Monday 10:00 Pacific)', async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-23T18:00:00Z') });
    const res = await request(t.app).get('/').expect(200);
    assert.match(res.text, /Open now\./);
    assert.match(res.text, /Today until 4:00 p\.m\./);
    assert.match(res.text, /Monday to Friday: 9:00 a\.m\. to 4:00 p\.m\./);
    assert.match(res.text, /href="\/help"/);
    assert.match(res.text, /href="\/faq"/);
    assert.match(res.text, /href="\/callbacks"/);
    assert.match(res.text, /legal advice/i);
  });

  it('says it is closed on Thanksgiving, naming the holiday', async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-26T18:00:00Z') });
    const res = await request(t.app).get('/').expect(200);
    assert.match(res.text, /Closed today<\/strong> for Thanksgiving Day/);
  });

  it('says it is closed in the evening, judged in the court zone', async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-24T01:00:00Z') }); // Monday 17:00 Pacific
    const res = await request(t.app).get('/').expect(200);
    assert.match(res.text, /Closed now\./);
  });

  it('lists hours, upcoming closures and the maintenance window on /hours', async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-23T18:00:00Z') });
    const res = await request(t.app).get('/hours').expect(200);
    assert.match(res.text, /Thursday, November 26, 2026/);
    assert.match(res.text, /Friday, December 25, 2026/);
    assert.match(res.text, /Saturdays, 6:00 a\.m\. to 10:00 a\.m\./);
  });

  it('answers /healthz with status ok when the database answers, 503 when it does not', async () => {
    t = await buildTestApp();
    const ok = await request(t.app).get('/healthz').expect(200);
    assert.deepEqual(ok.body, { status: 'ok' });
    await t.db.destroy();
    const down = await request(t.app).get('/healthz').expect(503);
    assert.deepEqual(down.body, { status: 'unavailable' });
    t.db = (await buildTestApp()).db; // let afterEach close something open
  });

  it('sends security headers and hides the framework', async () => {
    t = await buildTestApp();
    const res = await request(t.app).get('/help').expect(200);
    assert.match(res.headers['content-security-policy'], /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
    assert.match(res.headers['content-security-policy'], /frame-ancestors 'self'/);
    assert.equal(res.headers['strict-transport-security'], undefined, 'left to the TLS front end');
    assert.ok(String(res.headers['set-cookie']).includes('HttpOnly'));
    const api = await request(t.app).post('/api/triage').send({ body: 'My login fails.' }).expect(200);
    assert.equal(api.headers['x-content-type-options'], 'nosniff', 'the API gets the same headers');
  });

  it('answers GET /api/calendar/closures with the observed federal holidays and added closures of a year', async () => {
    t = await buildTestApp({ env: { COURT_PROFILE: path.join(__dirname, '..', 'fixtures', 'profile-with-closure.json') } });
    const res = await request(t.app).get('/api/calendar/closures').query({ year: 2027 }).expect(200);
    assert.equal(res.body.timezone, 'America/Los_Angeles');
    assert.deepEqual(
      res.body.closures.map((c: { date: string }) => c.date),
      [
        '2027-01-01',
        '2027-01-08',
        '2027-01-18',
        '2027-02-15',
        '2027-05-31',
        '2027-06-18',
        '2027-07-05',
        '2027-09-06',
        '2027-10-11',
        '2027-11-11',
        '2027-11-25',
        '2027-12-24',
        '2027-12-31',
      ],
    );
    assert.equal(res.body.closures[1].name, 'Court closed');
    const bad = await request(t.app).get('/api/calendar/closures').query({ year: 'soon' }).expect(400);
    assert.equal(bad.body.errors[0].code, 'invalid_year');
  });

  it('shows a plain 404 page for an unknown page', async () => {
    t = await buildTestApp();
    const res = await request(t.app).get('/no-such-page').expect(404);
    assert.match(res.text, /Page not found/);
  });
});

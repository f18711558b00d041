import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST

/** A 4xx answer in the API's error shape with `code`, and never a stack trace. */
function assertRefused(res: request.Response, status: number, code: string, field?: string) {
  assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.body.errors?.[0]?.code, code, JSON.stringify(res.body));
  if (field) assert.equal(res.body.errors[0].field, field);
  assert.doesNotMatch(res.text, /\bat .*\.ts:\d+|TypeError|ZodError|RangeError/);
}

describe('bad input of every kind answers 4xx with a code, never a stack trace', () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeEach(async () => {
    t = await buildTestApp({ now });
    agent = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
  });
  afterEach(() => t.close());

  const staffCsrf = async () => csrfTokenFrom((await agent.get('/staff/callbacks').expect(200)).text);

  it('refuses ids that are not numbers or are out of range on staff mail and attachment addresses', async () => {
    const csrf = await staffCsrf();
    const json = { Accept: 'application/json' };
    for (const [id, code] of [
      ['abc', 'invalid_type'],
      ['1.5', 'invalid_type'],
      ['0x10', 'invalid_type'],
      ['-3', 'invalid_type'],
      ['0', 'too_small'],
      ['2147483648', 'too_large'],
      ['99999999999999999999999', 'too_large'],
    ]) {
      assertRefused(await agent.get(`/staff/attachments/${id}`).set(json), 400, code, 'id');
      assertRefused(await agent.get(`/staff/mail/${id}/raw`).set(json), 400, code, 'id');
      assertRefused(await agent.post(`/staff/mail/${id}/retry`).set(json).type('form').send({ _csrf: csrf }), 400, code, 'id');
      const outcome = { _csrf: csrf, outcome: 'completed' };
      assertRefused(await agent.post(`/staff/callbacks/${id}/outcome`).set(json).type('form').send(outcome), 400, code, 'id');
    }
    // A browser gets a page, not a stack trace.
    const page = await agent.get('/staff/attachments/abc').set('Accept', 'text/html').expect(400);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.doesNotMatch(page.text, /\bat .*\.ts:\d+|ZodError/);
  });

  it('refuses a moved time on the callbacks board that is not a date', async () => {
    assertRefused(
      await agent.get('/staff/callbacks?moved=garbage').set('Accept', 'application/json'),
      400,
      'invalid_date',
      'moved',
    );
    const page = await agent.get('/staff/callbacks?moved=garbage').expect(400);
    assert.doesNotMatch(page.text, /RangeError|Invalid time value/);
    const fine = await agent.get(`/staff/callbacks?moved=${encodeURIComponent('2027-03-10T10:00:00-08:00')}`).expect(200);
    assert.match(fine.text, /No answer: the call moves to Wednesday, March 10, 2027 at 10:00 a\.m\. PST/);
  });

  it('refuses a form post whose body is JSON or plain text, even with a valid CSRF header', async () => {
    const created = await buildTicket(t);
    const booked = await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', start: '2027-03-11T09:00:00-08:00' })
      .expect(201);
    const manage = new URL(booked.body.manageUrl).pathname;
    const filer = request.agent(t.app);
    const filerCsrf = csrfTokenFrom((await filer.get(`/requests/${created.statusToken}`).expect(200)).text);
    const staffToken = await staffCsrf();
    const posts: Array<[ReturnType<typeof request.agent>, string, string]> = [
      [filer, `/requests/${created.statusToken}/review`, filerCsrf],
      [filer, `${manage}/reschedule`, filerCsrf],
      [agent, `/staff/tickets/${created.ticket.reference}/note`, staffToken],
      [agent, '/staff/users', staffToken],
      [agent, '/staff/callbacks/1/outcome', staffToken],
    ];
    for (const [who, path, csrf] of posts) {
      const json = await who
        .post(path)
        .set('x-csrf-token', csrf)
        .set('Accept', 'application/json')
        .type('json')
        .send({ start: 'x', body: 'x', outcome: 'completed', email: 'a@example.com' });
      assertRefused(json, 415, 'unsupported_media_type');
      const text = await who.post(path).set('x-csrf-token', csrf).type('text/plain').send('body=hello');
      assert.equal(text.status, 415, path);
      assert.match(text.headers['content-type'], /text\/html/);
      assert.doesNotMatch(text.text, /TypeError|\bat .*\.ts:\d+/);
    }
    // A form post with no body at all is read as an empty form: the usual field errors, no crash.
    const empty = await agent
      .post('/staff/callbacks/1/outcome')
      .set('x-csrf-token', staffToken)
      .set('Accept', 'application/json');
    assertRefused(empty, 400, 'invalid_outcome');
    assert.equal((await t.db('ticket_messages').count({ n: '*' }))[0].n, 1, 'no note was added');
  });

  it('never shows what the prototype of a message table holds for ?done=', async () => {
    const created = await buildTicket(t);
    const booked = await request(t.app)
      .post('/api/callbacks')
      .send({ name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', start: '2027-03-11T09:00:00-08:00' })
      .expect(201);
    const manage = new URL(booked.body.manageUrl).pathname;
    for (const done of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const pages = {
        status: await request(t.app).get(`/requests/${created.statusToken}`).query({ done }),
        manage: await request(t.app).get(manage).query({ done }),
        ticket: await agent.get(`/staff/tickets/${created.ticket.reference}`).query({ done }),
        mail: await agent.get('/staff/mail').query({ done }),
      };
      for (const [name, page] of Object.entries(pages)) {
        assert.equal(page.status, 200, page.text.slice(0, 300));
        assert.doesNotMatch(page.text, /native code|function \w*\(|\[object /, `${done} on the ${name} page`);
        assert.doesNotMatch(page.text, /role="status"><p>\s*<\/p>/);
      }
    }
    const known = await request(t.app).get(`/requests/${created.statusToken}`).query({ done: 'sent' });
    assert.match(known.text, /Your reply was added/);
  });

  it('refuses impossible dates and out-of-range numbers with invalid_date, too_small and too_large', async () => {
    const slots = (query: Record<string, string>) => request(t.app).get('/api/callbacks/slots').query(query);
    for (const from of ['2026-13-45', '2026-02-30', '2027-02-29', 'tomorrow', '2026-1-5'])
      assertRefused(await slots({ from }), 400, 'invalid_date', 'from');
    await slots({ from: '2028-02-29' }).expect(200);
    for (const days of ['0', '-1']) assertRefused(await slots({ days }), 400, 'too_small', 'days');
    assertRefused(await slots({ days: '61' }), 400, 'too_large', 'days');
    assertRefused(await slots({ days: 'ten' }), 400, 'invalid_type', 'days');
    const search = (limit: string) => request(t.app).get('/api/faq/search').query({ q: 'filing', limit });
    for (const limit of ['0', '-1']) assertRefused(await search(limit), 400, 'too_small', 'limit');
    assertRefused(await search('51'), 400, 'too_large', 'limit');
    const message = (await search('0')).body.errors[0].message as string;
    assert.match(message, /at least 1/);
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildTicket, csrfTokenFrom, ticketInput } from '../helpers/factories';

describe('the request form and the filer status page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  async function formAgent() {
    const agent = request.agent(t.app);
    const page = await agent.get('/help').expect(200);
    return { agent, token: csrfTokenFrom(page.text) };
  }

  it('refuses a form post without the CSRF token and stores nothing', async () => {
    const agent = request.agent(t.app);
    await agent.get('/help').expect(200);
    const res = await agent.post('/help').type('form').send(ticketInput()).expect(403);
    assert.match(res.text, /This form has expired/);
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0);
  });

  it('shows each mistake next to its field, keeps what was typed, and stores nothing', async () => {
    const { agent, token } = await formAgent();
    const res = await agent
      .post('/help')
      .type('form')
      .send({ _csrf: token, name: 'Pat', email: 'pat@', phone: '', subject: 'Login <b>broken</b>', body: '', caseNumber: '' })
      .expect(400);
    assert.match(res.text, /id="email-error"/);
    assert.match(res.text, /id="body-error"/);
    assert.doesNotMatch(res.text, /id="name-error"/);
    assert.match(res.text, /aria-describedby="email-hint email-error" aria-invalid="true"/);
    assert.match(res.text, /href="#email"/, 'the error summary links to the field');
    assert.match(res.text, /value="Login &lt;b&gt;broken&lt;\/b&gt;"/, 'typed text is kept, escaped');
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0);
  });

  it('creates the request, redirects (post/redirect/get) and shows the reference and private link', async () => {
    const { agent, token } = await formAgent();
    const input = { _csrf: token, ...ticketInput({ caseNumber: '3:20-cv-1234-JST' }) };
    const confirm = await agent.post('/help').type('form').send(input).expect(200);
    assert.match(confirm.text, /Before you send your request/);
    assert.match(confirm.text, /href="\/faq\/forgot-password\?from=request"/, 'suggests the answer about passwords');
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0, 'nothing is created before the filer confirms');
    const res = await agent
      .post('/help')
      .type('form')
      .send({ ...input, _csrf: csrfTokenFrom(confirm.text), confirmed: 'yes' })
      .expect(303);
    assert.match(res.headers.location, /^\/requests\/[A-Za-z0-9_-]{43}\/received$/);
    const received = await agent.get(res.headers.location).expect(200);
    const ticket = await t.db('tickets').first();
    assert.equal(ticket.channel, 'web');
    assert.match(received.text, new RegExp(`HD-${ticket.reference_year}-${String(ticket.id).padStart(6, '0')}`));
    assert.match(received.text, /3:20-cv-01234/);
    const statusPath = res.headers.location.replace(/\/received$/, '');
    assert.ok(received.text.includes(`href="${statusPath}"`));
    assert.equal(received.headers['cache-control'], 'no-store');
  });

  it('skips the confirmation step when the script already showed suggestions, and when nothing matches', async () => {
    const { agent, token } = await formAgent();
    await agent
      .post('/help')
      .type('form')
      .send({ _csrf: token, ...ticketInput(), suggestionsSeen: 'yes' })
      .expect(303);
    const again = await formAgent();
    await again.agent
      .post('/help')
      .type('form')
      .send({ _csrf: again.token, ...ticketInput({ subject: 'Zzyzx', body: 'Qwxz vbnm' }) })
      .expect(303);
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 2);
  });

  it('returns to the form with everything typed when the filer chooses to change the request', async () => {
    const { agent, token } = await formAgent();
    const confirm = await agent
      .post('/help')
      .type('form')
      .send({ _csrf: token, ...ticketInput() })
      .expect(200);
    const form = await agent
      .post('/help/edit')
      .type('form')
      .send({ _csrf: csrfTokenFrom(confirm.text), ...ticketInput() })
      .expect(200);
    assert.match(form.text, /value="Cannot log in to CM\/ECF"/);
    assert.match(form.text, />After resetting my PACER password/);
  });

  it('shows the thread on the status page and adds a reply', async () => {
    const { statusToken } = await buildTicket(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/requests/${statusToken}`).expect(200);
    assert.match(page.text, /After resetting my PACER password/);
    const res = await agent
      .post(`/requests/${statusToken}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: 'It happens in Chrome and Firefox.' })
      .expect(303);
    const after = await agent.get(res.headers.location.replace(/#.*/, '')).expect(200);
    assert.match(after.text, /It happens in Chrome and Firefox\./);
    assert.match(after.text, /Your reply was added/);
    const messages = await t.db('ticket_messages').orderBy('id');
    assert.equal(messages.length, 2);
  });

  it('refuses an empty reply with a clear message', async () => {
    const { statusToken } = await buildTicket(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/requests/${statusToken}`);
    const res = await agent
      .post(`/requests/${statusToken}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: '  ' })
      .expect(400);
    assert.match(res.text, /Please write your reply before sending it/);
    assert.equal((await t.db('ticket_messages').count({ n: '*' }))[0].n, 1);
  });

  it('closes the request when the filer says the problem is solved, and a later reply reopens it', async () => {
    const { statusToken, ticket } = await buildTicket(t);
    const agent = request.agent(t.app);
    let page = await agent.get(`/requests/${statusToken}`);
    await agent
      .post(`/requests/${statusToken}/close`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    assert.equal((await t.db('tickets').where({ id: ticket.id }).first()).status, 'closed');
    page = await agent.get(`/requests/${statusToken}?done=closed`).expect(200);
    assert.match(page.text, /Your request is closed/);
    assert.doesNotMatch(page.text, /My problem is solved/);
    await agent
      .post(`/requests/${statusToken}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: 'The error is back.' })
      .expect(303);
    assert.equal((await t.db('tickets').where({ id: ticket.id }).first()).status, 'open');
    const actions = (await t.db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id')).map((e) => e.action);
    assert.deepEqual(actions, ['status_changed', 'replied', 'status_changed']);
  });

  it('reopens a resolved request when the filer replies', async () => {
    const { statusToken, ticket } = await buildTicket(t);
    await t.db('tickets').where({ id: ticket.id }).update({ status: 'resolved' });
    const agent = request.agent(t.app);
    const page = await agent.get(`/requests/${statusToken}`);
    assert.match(page.text, /Writing here reopens your request/);
    await agent
      .post(`/requests/${statusToken}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: 'Still broken' })
      .expect(303);
    assert.equal((await t.db('tickets').where({ id: ticket.id }).first()).status, 'open');
  });

  it('answers 404 for an unknown or malformed status token', async () => {
    await request(t.app)
      .get(`/requests/${'a'.repeat(43)}`)
      .expect(404);
    const res = await request(t.app).get('/requests/not-a-token').expect(404);
    assert.match(res.text, /could not find a request/);
  });

  it('shows HTML and script typed by a filer as text, never as markup', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { statusToken } = await buildTicket(t, { subject: payload, body: payload });
    const page = await request(t.app).get(`/requests/${statusToken}`).expect(200);
    assert.ok(!page.text.includes('<script>alert(1)'));
    assert.ok(!page.text.includes('<img src=x'));
    assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});

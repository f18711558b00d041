import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/app';
import { buildTestApp, testFaqLibrary, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

describe('staff sign-in and access', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  async function trySignIn(agent: ReturnType<typeof request.agent>, email: string, password: string) {
    const page = await agent.get('/staff/sign-in');
    return agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email, password });
  }

  it('sends a visitor without a session to sign in, and back to the page asked for', async () => {
    const res = await request(t.app).get('/staff?status=open').expect(303);
    assert.equal(res.headers.location, '/staff/sign-in?next=%2Fstaff%3Fstatus%3Dopen');
    const staff = await buildStaff(t);
    const agent = request.agent(t.app);
    const page = await agent.get(res.headers.location);
    const signIn = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        email: staff.email.toUpperCase(),
        password: staff.password,
        next: '/staff?status=open',
      })
      .expect(303);
    assert.equal(signIn.headers.location, '/staff?status=open');
    assert.match(String(signIn.headers['set-cookie']), /hd_staff=[^;]+; .*HttpOnly/);
    await agent.get('/staff').expect(200);
  });

  it('never redirects outside the staff area after sign-in', async () => {
    const staff = await buildStaff(t);
    const agent = request.agent(t.app);
    const page = await agent.get('/staff/sign-in');
    const res = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: staff.email, password: staff.password, next: '//evil.example/staff' })
      .expect(303);
    assert.equal(res.headers.location, '/staff');
  });

  it('refuses a wrong password without saying which part was wrong, and stores only a hash', async () => {
    const staff = await buildStaff(t);
    const res = await trySignIn(request.agent(t.app), staff.email, 'not the password');
    assert.equal(res.status, 401);
    assert.match(res.text, /email or password is not right/);
    const row = await t.db('staff_users').where({ id: staff.id }).first();
    assert.match(row.password_hash, /^\$argon2id\$/);
  });

  it('throttles sign-in after five failures for an account, even with the right password', async () => {
    const staff = await buildStaff(t);
    const agent = request.agent(t.app);
    for (let i = 0; i < 5; i += 1) assert.equal((await trySignIn(agent, staff.email, `wrong ${i}`)).status, 401);
    const res = await trySignIn(agent, staff.email, staff.password);
    assert.equal(res.status, 429);
    assert.match(res.text, /Too many failed sign-ins/);
  });

  it('keeps sessions in the database: another server process on the same database knows the session', async () => {
    const staff = await buildStaff(t);
    const page = await request(t.app).get('/staff/sign-in');
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const signIn = await request(t.app)
      .post('/staff/sign-in')
      .set('Cookie', cookies.join('; '))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: staff.email, password: staff.password })
      .expect(303);
    const session = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('hd_staff='))
      ?.split(';')[0];
    assert.ok(session);
    const other = createApp({ config: t.config, db: t.db, faq: testFaqLibrary(t.config) });
    const res = await request(other).get('/staff').set('Cookie', session).expect(200);
    assert.match(res.text, /Sign out Sam Agent/);
    const row = await t.db('staff_sessions').first();
    assert.equal(row.id_hash.length, 64, 'only a hash of the session cookie is kept');
    assert.ok(!session.includes(row.id_hash));
  });

  it('signs out, ending the session', async () => {
    const staff = await buildStaff(t);
    const agent = await signedInAgent(t, staff);
    const page = await agent.get('/staff');
    await agent
      .post('/staff/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    await agent.get('/staff').expect(303);
    assert.equal((await t.db('staff_sessions').count({ n: '*' }))[0].n, 0);
  });

  it('keeps agents out of admin pages', async () => {
    const agent = await signedInAgent(t, await buildStaff(t));
    const res = await agent.get('/staff/users').expect(403);
    assert.match(res.text, /Only an administrator/);
  });

  it('lets an admin add an agent and disable an account, which ends its sessions', async () => {
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const page = await admin.get('/staff/users').expect(200);
    const bad = await admin
      .post('/staff/users')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: 'x', name: '', role: 'agent', password: 'short' })
      .expect(400);
    assert.match(bad.text, /Enter a valid email address/);
    assert.match(bad.text, /at least 12 characters/);
    await admin
      .post('/staff/users')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        email: 'New.Agent@example.gov',
        name: 'New Agent',
        role: 'agent',
        password: 'twelve chars or more',
      })
      .expect(303);
    const created = await t.db('staff_users').where({ email: 'new.agent@example.gov' }).first();
    const newAgent = await signedInAgent(t, { email: 'new.agent@example.gov', password: 'twelve chars or more' });
    await admin
      .post(`/staff/users/${created.id}/disable`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    await newAgent.get('/staff').expect(303);
    const again = await request.agent(t.app).get('/staff/sign-in');
    assert.ok(again.status === 200);
  });

  it('refuses a staff form post without the CSRF token', async () => {
    const agent = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    await agent
      .post('/staff/users')
      .type('form')
      .send({ email: 'a@example.gov', name: 'A', role: 'agent', password: 'twelve chars or more' })
      .expect(403);
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;

describe('staff accounts: own password and sessions, and administrators’ changes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  const csrfOf = async (agent: Agent, page = '/staff/account') => csrfTokenFrom((await agent.get(page).expect(200)).text);
  const auditRows = (action: string) => t.db('audit_log').where({ action }).orderBy('id');
  const sessionsOf = async (userId: number) =>
    Number((await t.db('staff_sessions').where({ user_id: userId }).count({ n: '*' }))[0].n);

  describe('changing one’s own password', () => {
    const change = async (agent: Agent, form: Record<string, string>, status: number) => {
      const _csrf = await csrfOf(agent); // first: the page sets the cookie the token is checked against
      return agent
        .post('/staff/account/password')
        .type('form')
        .send({ _csrf, ...form })
        .expect(status);
    };

    it('refuses a wrong current password, a short one, a common one and two that differ, saying which field is wrong', async () => {
      const staff = await buildStaff(t);
      const agent = await signedInAgent(t, staff);
      const good = 'a fresh staff passphrase';
      const wrong = await change(agent, { current: 'not my password', password: good, confirm: good }, 400);
      assert.match(wrong.text, /Your current password is not right/);
      assert.match(wrong.text, /<a href="#current">/);
      const short = await change(agent, { current: staff.password, password: 'too short', confirm: 'too short' }, 400);
      assert.match(short.text, /Use at least 12 characters/);
      const common = await change(agent, { current: staff.password, password: 'Password1234!', confirm: 'Password1234!' }, 400);
      assert.match(common.text, /too easy to guess/);
      const differ = await change(agent, { current: staff.password, password: good, confirm: `${good}!` }, 400);
      assert.match(differ.text, /not the same/);
      // Nothing changed: the old password still signs in.
      await signedInAgent(t, staff);
      assert.equal((await auditRows('staff.password_changed')).length, 0);
    });

    it('pauses after five wrong current passwords, even when the sixth is right', async () => {
      const staff = await buildStaff(t);
      const agent = await signedInAgent(t, staff);
      const good = 'a fresh staff passphrase';
      for (let i = 0; i < 5; i += 1) await change(agent, { current: `wrong ${i}`, password: good, confirm: good }, 400);
      const paused = await change(agent, { current: staff.password, password: good, confirm: good }, 429);
      assert.match(paused.text, /Too many wrong passwords\. Please try again in 15 minutes\./);
      await signedInAgent(t, staff); // the old password is still the password
    });

    it('changes it, ends every other session of the account but this one, and records it', async () => {
      const staff = await buildStaff(t);
      const here = await signedInAgent(t, staff);
      const elsewhere = await signedInAgent(t, staff);
      const other = await buildStaff(t);
      const colleague = await signedInAgent(t, other);
      const password = 'a fresh staff passphrase';
      const res = await change(here, { current: staff.password, password, confirm: password }, 303);
      assert.equal(res.headers.location, '/staff/account?done=password');
      assert.match((await here.get(res.headers.location).expect(200)).text, /Your password is changed/);
      await elsewhere.get('/staff').expect(303);
      await colleague.get('/staff').expect(200);
      await signedInAgent(t, { email: staff.email, password });
      await assert.rejects(signedInAgent(t, staff), /sign-in failed with 401/);
      const [row] = await auditRows('staff.password_changed');
      assert.equal(row.actor, `staff:${staff.id}`);
      assert.deepEqual(JSON.parse(row.details), { endedSessions: 1 });
      assert.doesNotMatch(JSON.stringify(await t.db('audit_log')), /fresh staff passphrase|a long staff passphrase/);
    });
  });

  describe('sessions', () => {
    it('lists the account’s sessions with when and where, marking this one; ends one, then all the others', async () => {
      const staff = await buildStaff(t);
      const here = await signedInAgent(t, staff);
      const second = await signedInAgent(t, staff);
      const third = await signedInAgent(t, staff);
      const someoneElse = await buildStaff(t);
      await signedInAgent(t, someoneElse);
      const page = await here.get('/staff/account').expect(200);
      assert.equal((page.text.match(/<td>This browser<\/td>/g) ?? []).length, 1);
      assert.equal((page.text.match(/<td>Another browser<\/td>/g) ?? []).length, 2);
      assert.match(page.text, /127\.0\.0\.1/); // the address each session signed in from
      const hashes = [...page.text.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]);
      assert.equal(hashes.length, 2);
      // Only one's own sessions can be ended: another account's is "not found", and stays.
      const theirs = (await t.db('staff_sessions').where({ user_id: someoneElse.id }).first()).id_hash as string;
      await here
        .post('/staff/account/sessions/end')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), session: theirs })
        .expect(404);
      assert.equal(await sessionsOf(someoneElse.id), 1);
      await here
        .post('/staff/account/sessions/end')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), session: 'not-a-session' })
        .expect(400);

      await here
        .post('/staff/account/sessions/end')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), session: hashes[0] })
        .expect(303);
      assert.equal(await sessionsOf(staff.id), 2);
      const stillIn = [second, third];
      const statuses = await Promise.all(stillIn.map(async (a) => (await a.get('/staff')).status));
      assert.deepEqual(statuses.sort(), [200, 303]);

      const done = await here
        .post('/staff/account/sessions/end-others')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text) })
        .expect(303);
      assert.equal(done.headers.location, '/staff/account?done=sessions');
      assert.equal(await sessionsOf(staff.id), 1);
      await here.get('/staff').expect(200);
      const after = await here.get('/staff/account?done=sessions').expect(200);
      assert.match(after.text, /This is your only session/);
      const ended = await auditRows('staff.sessions_ended');
      assert.deepEqual(
        ended.map((r) => JSON.parse(r.details)),
        [{ endedSessions: 1 }, { endedSessions: 1, allOthers: true }],
      );
    });
  });

  describe('administrators', () => {
    let admin: Awaited<ReturnType<typeof buildStaff>>;
    let adminAgent: Agent;
    beforeEach(async () => {
      admin = await buildStaff(t, { role: 'admin', name: 'Ada Admin', email: 'ada@example.gov' });
      adminAgent = await signedInAgent(t, admin);
    });

    const save = async (id: number, form: Record<string, string>, status: number) => {
      const _csrf = await csrfOf(adminAgent, `/staff/users/${id}`);
      return adminAgent
        .post(`/staff/users/${id}`)
        .type('form')
        .send({ _csrf, ...form })
        .expect(status);
    };

    it('edits a name, email and role; the new role takes effect at once and both changes are recorded', async () => {
      const staff = await buildStaff(t, { name: 'Sam Agent' });
      const samAgent = await signedInAgent(t, staff);
      await samAgent.get('/staff/status').expect(403);
      const form = await adminAgent.get(`/staff/users/${staff.id}`).expect(200);
      assert.match(form.text, /<option value="agent" selected>Agent<\/option>/);
      const res = await save(staff.id, { name: 'Sam Supervisor', email: 'Sam.Supervisor@Example.gov', role: 'supervisor' }, 303);
      assert.equal(res.headers.location, `/staff/users/${staff.id}?done=saved`);
      const row = await t.db('staff_users').where({ id: staff.id }).first();
      assert.deepEqual([row.name, row.email, row.role], ['Sam Supervisor', 'sam.supervisor@example.gov', 'supervisor']);
      await samAgent.get('/staff/status').expect(200);
      const [roleChange] = await auditRows('staff.role_changed');
      assert.equal(roleChange.actor, `staff:${admin.id}`);
      assert.equal(roleChange.subject_type, 'staff_user');
      assert.equal(roleChange.subject_id, String(staff.id));
      assert.deepEqual(JSON.parse(roleChange.details), { from: 'agent', to: 'supervisor' });
      const [updated] = await auditRows('staff.updated');
      assert.deepEqual(JSON.parse(updated.details), { changed: ['email', 'name'] });
    });

    it('refuses a role that does not exist, an email another account has, and an empty name, keeping what was typed', async () => {
      const staff = await buildStaff(t, { name: 'Sam Agent' });
      const bad = await save(staff.id, { name: '', email: 'sam@example.gov', role: 'boss' }, 400);
      assert.match(bad.text, /Choose a role: agent, editor, supervisor, admin\./);
      assert.match(bad.text, /Enter the name\./);
      assert.match(bad.text, /value="sam@example\.gov"/);
      const taken = await save(staff.id, { name: 'Sam', email: admin.email, role: 'agent' }, 409);
      assert.match(taken.text, /already exists/);
      const unchanged = await t.db('staff_users').where({ id: staff.id }).first();
      assert.deepEqual([unchanged.name, unchanged.role], ['Sam Agent', 'agent']);
      // The add form too.
      const addCsrf = await csrfOf(adminAgent, '/staff/users');
      const add = await adminAgent
        .post('/staff/users')
        .type('form')
        .send({
          _csrf: addCsrf,
          email: 'new@example.gov',
          name: 'New',
          role: 'root',
          password: 'a long staff passphrase',
        })
        .expect(400);
      assert.match(add.text, /Choose a role: agent, editor, supervisor, admin\./);
      const commonCsrf = await csrfOf(adminAgent, '/staff/users');
      const common = await adminAgent
        .post('/staff/users')
        .type('form')
        .send({
          _csrf: commonCsrf,
          email: 'new@example.gov',
          name: 'New',
          role: 'editor',
          password: 'qwertyuiop123',
        })
        .expect(400);
      assert.match(common.text, /too easy to guess/);
      assert.equal(await t.db('staff_users').where({ email: 'new@example.gov' }).first(), undefined);
      assert.equal((await auditRows('staff.role_changed')).length, 0);
    });

    it('adds an editor and records it', async () => {
      const csrf = await csrfOf(adminAgent, '/staff/users');
      await adminAgent
        .post('/staff/users')
        .type('form')
        .send({
          _csrf: csrf,
          email: 'ed@example.gov',
          name: 'Ed Editor',
          role: 'editor',
          password: 'a long staff passphrase',
        })
        .expect(303);
      const row = await t.db('staff_users').where({ email: 'ed@example.gov' }).first();
      assert.equal(row.role, 'editor');
      const [added] = await auditRows('staff.added');
      assert.equal(added.subject_id, String(row.id));
      assert.deepEqual(JSON.parse(added.details), { role: 'editor' });
    });

    it('disables and enables an account, recording both', async () => {
      const staff = await buildStaff(t);
      const agent = await signedInAgent(t, staff);
      const csrf = await csrfOf(adminAgent, '/staff/users');
      await adminAgent.post(`/staff/users/${staff.id}/disable`).type('form').send({ _csrf: csrf }).expect(303);
      await agent.get('/staff').expect(303);
      await assert.rejects(signedInAgent(t, staff), /401/);
      await adminAgent.post(`/staff/users/${staff.id}/enable`).type('form').send({ _csrf: csrf }).expect(303);
      await signedInAgent(t, staff);
      assert.deepEqual(
        (await t.db('audit_log').whereIn('action', ['staff.disabled', 'staff.enabled']).orderBy('id')).map((r) => r.action),
        ['staff.disabled', 'staff.enabled'],
      );
    });

    it('resets a password: a temporary one shown once, the account signed out, and its owner made to choose their own', async () => {
      const staff = await buildStaff(t);
      const before = await signedInAgent(t, staff);
      const csrf = await csrfOf(adminAgent, `/staff/users/${staff.id}`);
      const res = await adminAgent.post(`/staff/users/${staff.id}/reset-password`).type('form').send({ _csrf: csrf }).expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const temporary = /<code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})<\/code>/.exec(res.text)?.[1];
      assert.ok(temporary, 'the temporary password is on the page');
      await before.get('/staff').expect(303);
      await assert.rejects(signedInAgent(t, staff), /401/);

      // Signed in with it, only the account page opens until a password of their own is chosen.
      const owner = await signedInAgent(t, { email: staff.email, password: temporary });
      const queue = await owner.get('/staff').expect(303);
      assert.equal(queue.headers.location, '/staff/account');
      const account = await owner.get('/staff/account').expect(200);
      assert.match(account.text, /An administrator reset your password/);
      await owner
        .post('/staff/callbacks/1/outcome')
        .type('form')
        .send({ _csrf: csrfTokenFrom(account.text), outcome: 'completed' })
        .expect(403);
      const own = 'my very own passphrase';
      await owner
        .post('/staff/account/password')
        .type('form')
        .send({ _csrf: csrfTokenFrom(account.text), current: temporary, password: own, confirm: own })
        .expect(303);
      await owner.get('/staff').expect(200);
      const [reset] = await auditRows('staff.password_reset');
      assert.equal(reset.subject_id, String(staff.id));
      assert.doesNotMatch(JSON.stringify(await t.db('audit_log')), new RegExp(temporary));
    });

    it('never demotes or disables the last active administrator, and says why', async () => {
      const demote = await save(admin.id, { name: admin.name, email: admin.email, role: 'supervisor' }, 409);
      assert.match(demote.text, /This is the last active administrator/);
      assert.equal((await t.db('staff_users').where({ id: admin.id }).first()).role, 'admin');

      // With a second administrator, one may step down; then the other is the last, disabled or not.
      const other = await buildStaff(t, { role: 'admin', name: 'Other Admin' });
      const otherAgent = await signedInAgent(t, other);
      await save(admin.id, { name: admin.name, email: admin.email, role: 'supervisor' }, 303);
      const csrf = await csrfOf(otherAgent, '/staff/users');
      await otherAgent
        .post(`/staff/users/${other.id}`)
        .type('form')
        .send({ _csrf: csrf, name: other.name, email: other.email, role: 'agent' })
        .expect(409);
      // A disabled administrator does not count as one.
      await t.db('staff_users').where({ id: admin.id }).update({ role: 'admin', disabled_at: new Date().toISOString() });
      const refused = await otherAgent
        .post(`/staff/users/${other.id}`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrf, name: other.name, email: other.email, role: 'agent' });
      assert.equal(refused.status, 409);
    });

    it('the database itself refuses to leave no active administrator, also when two demote each other at once', async () => {
      await assert.rejects(t.db('staff_users').where({ id: admin.id }).update({ role: 'agent' }), /last_active_admin/);
      await assert.rejects(
        t.db('staff_users').where({ id: admin.id }).update({ disabled_at: new Date().toISOString() }),
        /last_active_admin/,
      );
      const other = await buildStaff(t, { role: 'admin' });
      const accounts = t.services.accounts;
      const results = await Promise.allSettled([
        accounts.updateUser({ id: other.id, name: 'Other' }, admin.id, { name: admin.name, email: admin.email, role: 'agent' }),
        accounts.updateUser({ id: admin.id, name: admin.name }, other.id, { name: 'Other', email: other.email, role: 'agent' }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal(Number((await t.db('staff_users').where({ role: 'admin' }).count({ n: '*' }))[0].n), 1);
    });

    it('does not let an administrator disable or reset themselves here', async () => {
      const csrf = await csrfOf(adminAgent, '/staff/users');
      const disable = await adminAgent.post(`/staff/users/${admin.id}/disable`).type('form').send({ _csrf: csrf }).expect(400);
      assert.match(disable.text, /cannot disable your own account/);
      const reset = await adminAgent
        .post(`/staff/users/${admin.id}/reset-password`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(400);
      assert.match(reset.text, /your account page/);
      await adminAgent.get('/staff/users/999999').expect(404);
      await adminAgent.get('/staff/users/abc').expect(400);
    });
  });
});

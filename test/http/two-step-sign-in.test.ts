import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { enrolTotp, postCode, postPassword, signedInWithCode, totpCode } from '../helpers/two-step';

describe('two-step sign-in (TOTP and recovery codes)', () => {
  let t: TestApp;
  // A clock the tests move: codes belong to 30-second steps.
  let clock: number;
  const now = () => new Date(clock);
  const audited = async (action: string) =>
    (await t.db('audit_log').where({ action }).orderBy('id')) as Array<{
      actor: string;
      details: string | null;
      address: string | null;
    }>;

  afterEach(() => t.close());

  describe('with STAFF_MFA=required (the default)', () => {
    beforeEach(async () => {
      clock = Date.parse('2026-12-03T15:00:05Z');
      t = await buildTestApp({ env: { STAFF_MFA: 'required' }, now });
    });

    it('sends a password-only staff member to set up an app before any staff page, then shows ten recovery codes once', async () => {
      const staff = await buildStaff(t);
      const agent = request.agent(t.app);
      const res = await postPassword(agent, staff);
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/staff/sign-in/set-up');
      // Half signed in: no staff page opens, and a form post is refused.
      assert.equal(
        (await agent.get('/staff/tickets/HD-2026-000001')).headers.location,
        '/staff/sign-in/set-up?next=%2Fstaff%2Ftickets%2FHD-2026-000001',
      );
      assert.equal((await agent.get('/staff')).headers.location, '/staff/sign-in/set-up');
      const page = await agent.get('/staff/sign-in/set-up').expect(200);
      assert.match(page.text, /<svg[^>]*viewBox/);
      assert.match(page.text, /role="img" aria-label="QR code/);
      const secret = /<code class="secret-key"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(page.text)?.[1].replace(/ /g, '');
      assert.ok(secret && secret.length >= 26, 'the secret is shown as text for typing by hand');
      const row = await t.db('staff_totp').where({ user_id: staff.id }).first();
      assert.ok(!row.secret_encrypted.includes(secret), 'the secret is stored encrypted');
      assert.equal(row.confirmed_at, null);

      const wrong = await postCode(agent, '/staff/sign-in/set-up', '000000');
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /That code is not right/);
      await agent.get('/staff').expect(303);

      const pendingCookie = String(wrong.request.cookies ?? '');
      const ok = await postCode(agent, '/staff/sign-in/set-up', await totpCode(secret, now()));
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['cache-control'], 'no-store');
      const codes = [...ok.text.matchAll(/<li><code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})<\/code><\/li>/g)].map((m) => m[1]);
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      await agent.get('/staff').expect(200);
      const stored = (await t.db('staff_recovery_codes').where({ user_id: staff.id })) as Array<{ code_hash: string }>;
      assert.equal(stored.length, 10);
      assert.ok(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash) && !codes.some((c) => r.code_hash.includes(c))));
      // A new session value once fully signed in: the half-signed-in one is gone.
      const sessions = (await t.db('staff_sessions').where({ user_id: staff.id })) as Array<{ second_step_done: unknown }>;
      assert.equal(sessions.length, 1);
      assert.ok(Boolean(sessions[0].second_step_done));
      assert.ok(!pendingCookie.includes(String(ok.headers['set-cookie'])));
      assert.equal((await audited('two_step.enrolled')).length, 1);
      assert.equal((await audited('sign_in.second_step.succeeded')).length, 1);
      assert.equal(JSON.parse((await audited('sign_in.password.succeeded'))[0].details ?? '{}').secondStep, 'enrol');
    });

    it('asks for the code after the password, refuses a wrong one and a replayed one, and audits each', async () => {
      const staff = await buildStaff(t);
      const { secret } = await enrolTotp(t, staff, now());
      clock += 30_000;
      const agent = request.agent(t.app);
      const res = await postPassword(agent, staff);
      assert.equal(res.headers.location, '/staff/sign-in/code');
      await agent.get('/staff').expect(303);
      const page = await agent.get('/staff/sign-in/code').expect(200);
      assert.match(page.text, /<label for="code">/);
      assert.match(page.text, /autocomplete="one-time-code"/);

      const wrong = await postCode(agent, '/staff/sign-in/code', '123456');
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /That code is not right/);
      assert.match(wrong.text, /aria-invalid="true"/);
      const code = await totpCode(secret, now());
      await postCode(agent, '/staff/sign-in/code', code).then((r) => assert.equal(r.status, 303));
      await agent.get('/staff').expect(200);

      // The same code again, still within its 30 seconds, from another browser that has the password.
      const thief = request.agent(t.app);
      await postPassword(thief, staff);
      const replay = await postCode(thief, '/staff/sign-in/code', code);
      assert.equal(replay.status, 401);
      assert.match(replay.text, /That code has been used already/);
      await thief.get('/staff').expect(303);

      const failures = await audited('sign_in.second_step.failed');
      assert.deepEqual(
        failures.map((f) => JSON.parse(f.details ?? '{}').reason),
        ['wrong_code', 'code_already_used'],
      );
      assert.ok(failures.every((f) => f.actor === `staff:${staff.id}` && f.address));
    });

    it('takes a recovery code instead of the app code, once only', async () => {
      const staff = await buildStaff(t);
      const { recoveryCodes } = await enrolTotp(t, staff, now());
      const first = request.agent(t.app);
      await postPassword(first, staff);
      const used = await postCode(first, '/staff/sign-in/code', recoveryCodes[3].toUpperCase().replace(/-/g, ' '));
      assert.equal(used.status, 303);
      await first.get('/staff').expect(200);

      const second = request.agent(t.app);
      await postPassword(second, staff);
      const again = await postCode(second, '/staff/sign-in/code', recoveryCodes[3]);
      assert.equal(again.status, 401);
      assert.match(again.text, /That recovery code has been used already/);
      const other = await postCode(second, '/staff/sign-in/code', recoveryCodes[4]);
      assert.equal(other.status, 303);
      const success = await audited('sign_in.second_step.succeeded');
      assert.equal(JSON.parse(success[success.length - 1].details ?? '{}').recoveryCodesLeft, 8);
    });

    it('throttles the second step like the password, saying when to try again', async () => {
      const staff = await buildStaff(t);
      const { secret } = await enrolTotp(t, staff, now());
      clock += 30_000;
      const agent = request.agent(t.app);
      await postPassword(agent, staff);
      for (let i = 0; i < 5; i += 1) assert.equal((await postCode(agent, '/staff/sign-in/code', `00000${i}`)).status, 401);
      const locked = await postCode(agent, '/staff/sign-in/code', await totpCode(secret, now()));
      assert.equal(locked.status, 429);
      assert.match(
        locked.text,
        /Too many failed sign-ins\. .*try again after \w+day, \w+ \d+, 2026 at \d+:\d\d [ap]\.m\. [A-Z]{3}/,
      );
      assert.ok(Number(locked.headers['retry-after']) > 0);
      assert.equal((await audited('sign_in.throttled')).length, 1);
    });

    it('sends the first administrator, signed in by first-run set-up, to set up an app before the staff pages', async () => {
      const issued = await t.services.firstRun.issueToken();
      assert.ok(issued);
      const agent = request.agent(t.app);
      const form = await agent.get(`/staff/setup/${issued.token}`).expect(200);
      const created = await agent
        .post(`/staff/setup/${issued.token}`)
        .type('form')
        .send({
          _csrf: csrfTokenFrom(form.text),
          name: 'First Admin',
          email: 'first.admin@example.gov',
          password: 'a long first passphrase',
          confirm: 'a long first passphrase',
        });
      assert.equal(created.status, 303);
      const next = await agent.get(created.headers.location);
      assert.equal(next.status, 303);
      assert.equal(next.headers.location, `/staff/sign-in/set-up?next=${encodeURIComponent(created.headers.location)}`);
    });

    it('ends a half-signed-in session after a few minutes', async () => {
      const staff = await buildStaff(t);
      await enrolTotp(t, staff, now());
      const agent = request.agent(t.app);
      await postPassword(agent, staff);
      await agent.get('/staff/sign-in/code').expect(200);
      clock += 16 * 60_000;
      assert.equal((await agent.get('/staff/sign-in/code')).headers.location, '/staff/sign-in');
    });

    it('lets an administrator reset a lost second factor: sessions end, the next sign-in sets it up again; audited', async () => {
      const staff = await buildStaff(t);
      const { secret } = await enrolTotp(t, staff, now());
      const adminUser = await buildStaff(t, { role: 'admin', name: 'Ada Admin' });
      const adminSecret = (await enrolTotp(t, adminUser, now())).secret;
      clock += 30_000;
      const admin = await signedInWithCode(t, adminUser, adminSecret, now());
      const staffAgent = await signedInWithCode(t, staff, secret, now());

      const agentTries = await staffAgent
        .post(`/staff/users/${adminUser.id}/two-step/reset`)
        .type('form')
        .send({ _csrf: csrfTokenFrom((await staffAgent.get('/staff')).text) });
      assert.equal(agentTries.status, 403);

      const page = await admin.get(`/staff/users/${staff.id}`).expect(200);
      assert.match(page.text, new RegExp(`action="/staff/users/${staff.id}/two-step/reset"`), 'the edit page offers the reset');
      const reset = await admin
        .post(`/staff/users/${staff.id}/two-step/reset`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text) });
      assert.equal(reset.status, 303);
      assert.equal(await t.db('staff_totp').where({ user_id: staff.id }).first(), undefined);
      assert.equal((await t.db('staff_recovery_codes').where({ user_id: staff.id })).length, 0);
      await staffAgent.get('/staff').expect(303);
      const again = await postPassword(request.agent(t.app), staff);
      assert.equal(again.headers.location, '/staff/sign-in/set-up');
      const [entry] = await t.db('audit_log').where({ action: 'two_step.reset' });
      assert.equal(entry.actor, `staff:${adminUser.id}`);
      assert.equal(entry.subject_id, String(staff.id));

      const self = await admin
        .post(`/staff/users/${adminUser.id}/two-step/reset`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text) });
      assert.equal(self.status, 400);
    });
  });

  describe('throttling the password by account and address together', () => {
    beforeEach(async () => {
      clock = Date.parse('2026-12-03T15:00:05Z');
      t = await buildTestApp({ env: { STAFF_MFA: 'required' }, now });
    });

    it('locks the address that guessed, says until when, and lets the right password and code through from elsewhere', async () => {
      const staff = await buildStaff(t);
      const { secret } = await enrolTotp(t, staff, now());
      clock += 30_000;
      const attacker = request.agent(t.app);
      for (let i = 0; i < 5; i += 1)
        assert.equal((await postPassword(attacker, { ...staff, password: `guess ${i}` }, '203.0.113.9')).status, 401);
      const locked = await postPassword(attacker, staff, '203.0.113.9');
      assert.equal(locked.status, 429);
      // The window is 15 minutes from the oldest of the five failures: 15:15 UTC, shown in the court's zone.
      assert.match(locked.text, /You can try again after Thursday, December 3, 2026 at 7:15 a\.m\. PST\./);

      const owner = request.agent(t.app);
      const res = await postPassword(owner, staff, '198.51.100.20');
      assert.equal(res.status, 303);
      assert.equal((await postCode(owner, '/staff/sign-in/code', await totpCode(secret, now()), '198.51.100.20')).status, 303);
      await owner.get('/staff').expect(200);

      clock += 15 * 60_000;
      assert.equal((await postPassword(attacker, { ...staff, password: 'guess 6' }, '203.0.113.9')).status, 401, 'the lock ends');
    });

    it('also limits one address over many accounts', async () => {
      for (let i = 0; i < 20; i += 1)
        assert.equal(
          (await postPassword(request.agent(t.app), { email: `nobody${i}@example.gov`, password: 'x' }, '203.0.113.7')).status,
          401,
        );
      const staff = await buildStaff(t);
      assert.equal((await postPassword(request.agent(t.app), staff, '203.0.113.7')).status, 429);
      assert.equal((await postPassword(request.agent(t.app), staff, '203.0.113.8')).status, 303);
      const failed = await audited('sign_in.password.failed');
      assert.equal(failed.length, 20);
      assert.equal(JSON.parse(failed[0].details ?? '{}').reason, 'unknown_email');
    });
  });

  describe('with STAFF_MFA=optional', () => {
    beforeEach(async () => {
      clock = Date.parse('2026-12-03T15:00:05Z');
      t = await buildTestApp({ env: { STAFF_MFA: 'optional' }, now });
    });

    it('signs in with a password alone until the staff member turns two-step sign-in on from their account', async () => {
      const staff = await buildStaff(t);
      const agent = await signedInAgent(t, staff);
      const panel = await agent.get('/staff/account').expect(200);
      assert.match(panel.text, /Two-step sign-in is off for your account/);
      const secret = /<code class="secret-key"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(panel.text)?.[1].replace(/ /g, '');
      assert.ok(secret);
      const codes = await agent
        .post('/staff/account/two-step')
        .type('form')
        .send({ _csrf: csrfTokenFrom(panel.text), code: await totpCode(secret, now()) })
        .expect(200);
      assert.equal([...codes.text.matchAll(/<li><code>/g)].length, 10);
      assert.match(
        (await agent.get('/staff/account')).text,
        /Two-step sign-in is on since .*You have <strong>10<\/strong> unused recovery/s,
      );

      clock += 30_000;
      const next = request.agent(t.app);
      assert.equal((await postPassword(next, staff)).headers.location, '/staff/sign-in/code');
      // New recovery codes need a current code from the app.
      const page = await agent.get('/staff/account');
      const refused = await agent
        .post('/staff/account/recovery-codes')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), code: '000000' });
      assert.equal(refused.status, 401);
      const fresh = await agent
        .post('/staff/account/recovery-codes')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), code: await totpCode(secret, now()) })
        .expect(200);
      const newCodes = [...fresh.text.matchAll(/<li><code>([a-z2-9-]+)<\/code>/g)].map((m) => m[1]);
      assert.equal(newCodes.length, 10);
      assert.equal((await t.db('audit_log').where({ action: 'two_step.recovery_codes_replaced' })).length, 1);
    });
  });
});

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom } from '../helpers/factories';
import { CookieJar, signInAtProvider, startOidcProvider, visit, type TestOidcProvider } from '../helpers/oidc-provider';

describe('single sign-on with OpenID Connect, against a real provider on loopback', function () {
  this.timeout(60_000);
  let server: http.Server;
  let base: string;
  let callbackUrl: string;
  let provider: TestOidcProvider;
  let t: TestApp;

  beforeEach(async () => {
    // The helpdesk's port first: the provider must know its callback address, the helpdesk the provider's.
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    callbackUrl = `${base}/staff/sign-in/oidc/callback`;
    provider = await startOidcProvider({
      redirectUri: callbackUrl,
      accounts: {
        pat: { email: 'Pat.Staff@example.gov' },
        stranger: { email: 'stranger@example.gov' },
        unverified: { email: 'pat.staff@example.gov', emailVerified: false },
        gone: { email: 'gone@example.gov' },
      },
    });
    t = await buildTestApp({ env: { ...provider.env, STAFF_MFA: 'required' } });
    server.on('request', t.app);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await provider.close();
    await t.close();
  });

  const audited = async (action: string) =>
    ((await t.db('audit_log').where({ action }).orderBy('id')) as Array<{ actor: string; details: string | null }>).map(
      (row): Record<string, unknown> => ({ actor: row.actor, ...(JSON.parse(row.details ?? '{}') as Record<string, unknown>) }),
    );

  it('signs a staff member in by the email the provider verified, with no second step here, back to the page asked for', async () => {
    const staff = await buildStaff(t, { email: 'pat.staff@example.gov' });
    const page = await visit(new CookieJar(), `${base}/staff/sign-in?next=%2Fstaff%2Ffaq`);
    const html = await page.text();
    assert.match(html, /<a class="button" href="\/staff\/sign-in\/oidc\?next=%2Fstaff%2Ffaq">Sign in with your court account/);
    assert.match(html, /name="password"/, 'passwords still work beside single sign-on');

    const jar = new CookieJar();
    const start = await visit(jar, `${base}/staff/sign-in/oidc?next=%2Fstaff%2Ffaq`);
    assert.equal(start.status, 303);
    const authorize = new URL(start.headers.get('location') ?? '');
    assert.equal(authorize.origin, provider.issuer);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
    assert.equal(jar.get(base, 'hd_oidc'), authorize.searchParams.get('state'));

    const callback = await signInAtProvider(jar, authorize.href, 'pat', callbackUrl);
    const done = await visit(jar, callback);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/staff/faq');
    assert.equal(jar.get(base, 'hd_oidc'), undefined, 'the state cookie is spent');
    assert.equal((await visit(jar, `${base}/staff`)).status, 200);
    assert.deepEqual(await audited('sign_in.oidc.succeeded'), [{ actor: `staff:${staff.id}` }]);
    assert.equal((await t.db('oidc_sign_in_attempts')).length, 0);
  });

  it('refuses an email no staff account has, an account that is disabled, and an email the provider did not verify', async () => {
    const gone = await buildStaff(t, { email: 'gone@example.gov' });
    await t.services.auth.setDisabled(gone.id, true);
    await buildStaff(t, { email: 'pat.staff@example.gov' });
    for (const [login, status, words] of [
      ['stranger', 403, /No staff account uses the email address you signed in with/],
      ['gone', 403, /Your staff account is disabled/],
      ['unverified', 403, /did not confirm your email address/],
    ] as const) {
      const jar = new CookieJar();
      const res = await visit(jar, await signInAtProvider(jar, `${base}/staff/sign-in/oidc`, login, callbackUrl));
      assert.equal(res.status, status, login);
      assert.match(await res.text(), words);
      assert.equal((await visit(jar, `${base}/staff`)).status, 303, `${login} is not signed in`);
    }
    assert.deepEqual(
      (await audited('sign_in.oidc.failed')).map((e) => [e.actor, e.reason]),
      [
        ['anonymous', 'unknown_email'],
        [`staff:${gone.id}`, 'disabled'],
        ['anonymous', 'email_not_verified'],
      ],
    );
    assert.equal((await t.db('staff_sessions')).length, 0);
  });

  it('refuses a callback whose state is not the one this browser was sent with', async () => {
    await buildStaff(t, { email: 'pat.staff@example.gov' });
    const jar = new CookieJar();
    const callback = new URL(await signInAtProvider(jar, `${base}/staff/sign-in/oidc`, 'pat', callbackUrl));
    callback.searchParams.set('state', 'a-state-from-somewhere-else');
    const res = await visit(jar, callback.href);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /did not start here/);
    assert.equal((await visit(jar, `${base}/staff`)).status, 303);
    assert.deepEqual(await audited('sign_in.oidc.failed'), [{ actor: 'anonymous', reason: 'state_mismatch' }]);
  });

  it('refuses a replayed callback, and a forged one that never started here', async () => {
    await buildStaff(t, { email: 'pat.staff@example.gov' });
    const jar = new CookieJar();
    const start = await visit(jar, `${base}/staff/sign-in/oidc`);
    const state = jar.get(base, 'hd_oidc') ?? '';
    const callback = await signInAtProvider(jar, start.headers.get('location') ?? '', 'pat', callbackUrl);
    assert.equal((await visit(jar, callback)).status, 303);

    // The same answer again, with the state cookie put back: the attempt was used up.
    const replayJar = new CookieJar();
    replayJar.set(base, 'hd_oidc', state);
    const replay = await visit(replayJar, callback);
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /expired or was already used/);

    const forgedJar = new CookieJar();
    forgedJar.set(base, 'hd_oidc', 'forged-state');
    const forged = await visit(forgedJar, `${base}/staff/sign-in/oidc/callback?code=made-up&state=forged-state`);
    assert.equal(forged.status, 400);
    assert.deepEqual(
      (await audited('sign_in.oidc.failed')).map((e) => e.reason),
      ['unknown_state', 'unknown_state'],
    );
    assert.equal((await audited('sign_in.oidc.succeeded')).length, 1);
  });

  it("checks the ID token's nonce against the one sent", async () => {
    await buildStaff(t, { email: 'pat.staff@example.gov' });
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, `${base}/staff/sign-in/oidc`, 'pat', callbackUrl);
    await t.db('oidc_sign_in_attempts').update({ nonce: 'not-the-nonce-the-provider-signed' });
    const res = await visit(jar, callback);
    assert.equal(res.status, 400);
    assert.equal((await visit(jar, `${base}/staff`)).status, 303);
    const [failure] = await audited('sign_in.oidc.failed');
    assert.deepEqual(failure, { actor: 'anonymous', reason: 'provider_refused', error: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' });
  });

  it('with STAFF_PASSWORD_SIGNIN=false offers only single sign-on, and refuses a password', async () => {
    const other = await buildTestApp({ env: { ...provider.env, STAFF_PASSWORD_SIGNIN: 'false' } });
    try {
      const staff = await buildStaff(other);
      const agent = request.agent(other.app);
      const page = await agent.get('/staff/sign-in').expect(200);
      assert.match(page.text, /Sign in with your court account/);
      assert.doesNotMatch(page.text, /name="password"/);
      // The page has no form left to take a token from: the request form's serves (same browser).
      const token = csrfTokenFrom((await agent.get('/help')).text);
      const res = await agent
        .post('/staff/sign-in')
        .type('form')
        .send({ _csrf: token, email: staff.email, password: staff.password });
      assert.equal(res.status, 403);
      assert.match(res.text, /Sign-in with a password is turned off here/);
      await agent.get('/staff').expect(303);
    } finally {
      await other.close();
    }
  });

  it('is configured with all three OIDC variables or none, and passwords cannot be turned off without it', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:data/x.sqlite3', SESSION_SECRET: 'x'.repeat(40) }).env.STAFF_MFA, 'required');
    assert.throws(
      () => loadConfig({ SESSION_SECRET: 'x'.repeat(40), OIDC_ISSUER: 'https://login.example.gov' }),
      /OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three, or none/,
    );
    assert.throws(
      () => loadConfig({ SESSION_SECRET: 'x'.repeat(40), STAFF_PASSWORD_SIGNIN: 'false' }),
      /STAFF_PASSWORD_SIGNIN: false needs single sign-on/,
    );
    assert.throws(() => loadConfig({ SESSION_SECRET: 'x'.repeat(40), STAFF_MFA: 'sometimes' }), /STAFF_MFA/);
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { runJob } from '../../src/jobs/job-runner';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ticketInput } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';

const METRICS_TOKEN = 'metrics-token-for-the-ops-test-0123456789';

describe('GET /readyz', () => {
  let t: TestApp;
  afterEach(() => t.close().catch(() => undefined));

  it('is ready with the database answering, no migration pending and mail off', async () => {
    t = await buildTestApp();
    const res = await request(t.app).get('/readyz').expect(200);
    assert.deepEqual(res.body, { status: 'ready', checks: { database: 'ok', migrations: 'ok', mail: 'off' } });
  });

  it('answers 503 naming the database when it does not answer', async () => {
    t = await buildTestApp();
    await t.db.destroy();
    const res = await request(t.app).get('/readyz').expect(503);
    assert.equal(res.body.status, 'not_ready');
    assert.equal(res.body.checks.database, 'failing');
    assert.deepEqual(res.body.failing, ['database']);
  });

  it('answers 503 naming the migrations when one is pending', async () => {
    t = await buildTestApp();
    const last = (await t.db('knex_migrations').orderBy('id', 'desc').first()) as { id: number };
    await t.db('knex_migrations').where({ id: last.id }).delete();
    const res = await request(t.app).get('/readyz').expect(503);
    assert.deepEqual(res.body, {
      status: 'not_ready',
      checks: { database: 'ok', migrations: 'pending', mail: 'off' },
      failing: ['migrations'],
    });
  });

  it('reports mail intake: failing after a failed pass, ok again after a good one, not this process when mail is not its role', async () => {
    const mailEnv = { IMAP_HOST: '127.0.0.1', IMAP_USER: 'helpdesk', IMAP_PASSWORD: 'secret', MAIL_FROM };
    t = await buildTestApp({ env: mailEnv });
    const health = t.services.ops.mailHealth;
    assert.equal((await request(t.app).get('/readyz').expect(200)).body.checks.mail, 'ok', 'starting counts as healthy');
    health.passFailed(new Error('connection refused'));
    const failing = await request(t.app).get('/readyz').expect(503);
    assert.equal(failing.body.checks.mail, 'failing');
    assert.deepEqual(failing.body.failing, ['mail']);
    health.passSucceeded();
    assert.equal((await request(t.app).get('/readyz').expect(200)).body.checks.mail, 'ok');
    await t.close();

    t = await buildTestApp({ env: { ...mailEnv, HELPDESK_ROLES: 'web' } });
    t.services.ops.mailHealth.passFailed(new Error('not ours to poll'));
    assert.equal((await request(t.app).get('/readyz').expect(200)).body.checks.mail, 'not_this_process');
  });
});

describe('GET /metrics', () => {
  let t: TestApp;
  afterEach(() => t.close().catch(() => undefined));

  it('asks for the token when METRICS_TOKEN is set: none 401, a wrong one 403, the right one 200', async () => {
    t = await buildTestApp({ env: { METRICS_TOKEN } });
    const none = await request(t.app).get('/metrics').expect(401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    assert.equal(none.body.errors[0].code, 'metrics_token_required');
    const wrong = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(403);
    assert.equal(wrong.body.errors[0].code, 'metrics_token_wrong');
    await request(t.app).get('/metrics').set('Authorization', 'Bearer short').expect(403);
    await request(t.app).get('/metrics').set('Authorization', `Basic ${METRICS_TOKEN}`).expect(401);
    const ok = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.ok(!ok.text.includes(METRICS_TOKEN), 'the token is not in the metrics');
  });

  it('answers a loopback client without a token when METRICS_TOKEN is unset, and no one else', async () => {
    t = await buildTestApp();
    await request(t.app).get('/metrics').expect(200);
    // Through a reverse proxy on the same machine: the client is the address it forwards.
    const proxied = await request(t.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7').expect(403);
    assert.equal(proxied.body.errors[0].code, 'metrics_loopback_only');
    await request(t.app).get('/metrics').set('X-Forwarded-For', '127.0.0.1').expect(403);
  });

  it('counts requests by route pattern, tickets by status, mail, the outbox, job runs and scope-guard outcomes', async () => {
    t = await buildTestApp({ env: { SMTP_HOST: '127.0.0.1', MAIL_FROM } });
    const created = await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
    const statusPath = new URL(created.body.statusUrl as string).pathname;
    const token = statusPath.split('/').pop() as string;
    await request(t.app).get(statusPath).expect(200);
    await request(t.app).get('/requests/not-a-real-token-but-long-enough-to-look-like-one-0123456789').expect(404);
    await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'My case',
          body: 'The court dismissed my case. Should I appeal or file a new case? What are my chances?',
        }),
      )
      .expect(422);
    await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          body: 'My PDF will not upload in CM/ECF, it says the file is too large. Also, do you think the judge will grant my motion?',
        }),
      )
      .expect(201);
    await request(t.app).get('/no/such/page').expect(404);
    await runJob({ db: t.db, config: t.config, services: t.services }, 'callback-expiry');

    const res = await request(t.app).get('/metrics').expect(200);
    const text = res.text;
    const has = (pattern: RegExp) => assert.match(text, pattern);
    has(/^helpdesk_http_requests_total\{method="POST",route="\/api\/tickets",status="201"\} 2$/m);
    has(/^helpdesk_http_requests_total\{method="POST",route="\/api\/tickets",status="422"\} 1$/m);
    has(/^helpdesk_http_requests_total\{method="GET",route="\/requests\/:token",status="200"\} 1$/m);
    has(/^helpdesk_http_requests_total\{method="GET",route="\/requests\/:token",status="404"\} 1$/m);
    has(/^helpdesk_http_requests_total\{method="GET",route="not_found",status="404"\} 1$/m);
    has(/^helpdesk_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/requests\/:token"\} 2$/m);
    has(/^helpdesk_tickets\{status="new"\} 2$/m);
    has(/^helpdesk_tickets\{status="rejected"\} 1$/m);
    has(/^helpdesk_tickets\{status="closed"\} 0$/m);
    has(/^helpdesk_mail_intake_messages\{status="processed",kind="new"\} 0$/m);
    has(/^helpdesk_outbox_messages\{status="pending"\} 3$/m);
    has(/^helpdesk_job_runs_total\{job="callback-expiry",outcome="ran"\} 1$/m);
    has(/^helpdesk_scope_guard_outcomes_total\{outcome="accept",channel="api"\} 1$/m);
    has(/^helpdesk_scope_guard_outcomes_total\{outcome="refuse",channel="api"\} 1$/m);
    has(/^helpdesk_scope_guard_outcomes_total\{outcome="declined",channel="api"\} 1$/m);
    has(/^process_cpu_seconds_total /m);
    assert.ok(!text.includes(token), 'no private token in the metrics');
    assert.ok(!text.includes('not-a-real-token'), 'no raw path in the metrics');
    assert.ok(!text.includes('/no/such/page'), 'no unknown path in the metrics');
  });

  it('reads mail intake counts from the database, so a web process reports what a mail process took in', async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
    const raw = Buffer.from(
      'From: Pat Filer <pat@example.com>\r\nTo: ecf-help@court.example\r\nSubject: Upload fails\r\nMessage-ID: <m1@example.com>\r\n\r\nThe PDF will not upload.\r\n',
    );
    const ids = await t.services.mail.intake.store([{ raw, source: 'import' }]);
    await t.services.mail.intake.processPending(ids);
    const res = await request(t.app).get('/metrics').expect(200);
    assert.match(res.text, /^helpdesk_mail_intake_messages\{status="processed",kind="new"\} 1$/m);
    assert.match(res.text, /^helpdesk_scope_guard_outcomes_total\{outcome="accept",channel="email"\} 1$/m);
  });
});

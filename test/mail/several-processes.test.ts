// Several processes on one PostgreSQL (SPEC §9): two web processes and two worker processes (mail and
// jobs) share one database, one mailbox and one job schedule, and nothing is done twice or lost.
//
// PostgreSQL pass only. Several processes are a PostgreSQL feature: the README's deployment section
// says one process with every role suits SQLite and several processes need PostgreSQL (SQLite's
// writers queue on one file lock, and the product does not promise several processes on it), so the
// SQLite pass has nothing to run here. In the PostgreSQL pass a missing cluster fails the test
// (createTestDatabase throws); nothing is skipped.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/knex';
import { JOB_NAMES } from '../../src/jobs/job-runner';
import { createAuthService } from '../../src/staff/auth.service';
import { csrfTokenFrom } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { freePort, startDovecot, startSmtpReceiver, type DovecotServer, type SmtpReceiver } from '../helpers/mail-servers';
import { createTestDatabase, testDatabase, type TestDatabase } from '../helpers/postgres';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';

const MESSAGES = 500;
const JOB_PERIOD_SECONDS = 2;
const BOOKINGS = 50;
const POST_LIMIT = 60;

const count = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);

/** The `name=value` part of each Set-Cookie header of a response. */
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]);

/** Job runs a worker logged (at debug level): job name, whether it ran or found the lease held, and when. */
function jobRuns(server: ServerProcess): Array<{ job: string; status: string; time: number }> {
  return server
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; time?: number };
        const match = /^job (\S+) (ran|skipped)$/.exec(entry.msg ?? '');
        return match && entry.time ? [{ job: match[1], status: match[2], time: entry.time }] : [];
      } catch {
        return [];
      }
    });
}

if (testDatabase === 'postgres') {
  describe('two web and two worker processes on one PostgreSQL', function () {
    this.timeout(600_000);
    let dir: string;
    let database: TestDatabase;
    let db: Db;
    let dovecot: DovecotServer;
    let smtp: SmtpReceiver;
    const servers: ServerProcess[] = [];
    const webPorts: number[] = [];
    const workers: ServerProcess[] = [];
    const staff = {
      email: 'sam.agent@example.gov',
      name: 'Sam Agent',
      role: 'agent' as const,
      password: 'a long staff passphrase',
    };

    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-processes-'));
      [dovecot, smtp, database] = await Promise.all([startDovecot(), startSmtpReceiver(), createTestDatabase(dir)]);
      db = openDatabase(database.url);
      await createAuthService(db).createUser(staff);
      const raws = [];
      // Distinct senders: one sender would reach the cap on automatic mail after ten acknowledgements.
      for (let n = 0; n < MESSAGES; n += 1)
        raws.push(await rawMail({ from: `filer${n}@example.com`, subject: `Request number ${n}` }));
      await dovecot.appendMany(raws);

      const env = {
        ...dovecot.mailEnv(),
        ...smtp.mailEnv(),
        MAIL_FROM,
        DATABASE_URL: database.url,
        SESSION_SECRET: 's'.repeat(32),
        JOBS_EVERY_SECONDS: String(JOB_PERIOD_SECONDS),
        // Above the bookings below (all from this machine's address), low enough to reach in a test.
        RATE_LIMIT_PER_MINUTE: String(POST_LIMIT),
      };
      for (let n = 0; n < 2; n += 1) {
        const port = await freePort();
        webPorts.push(port);
        servers.push(startServerProcess({ ...env, HELPDESK_ROLES: 'web', PORT: String(port) }));
      }
      for (let n = 0; n < 2; n += 1) {
        // Debug level: job runs are logged there, and the test reads them.
        const worker = startServerProcess({ ...env, HELPDESK_ROLES: 'mail,jobs', PORT: '0', LOG_LEVEL: 'debug' });
        workers.push(worker);
        servers.push(worker);
      }
      await Promise.all([
        ...servers.slice(0, 2).map((web) => web.waitForLog(/listening/)),
        ...workers.map((worker) => worker.waitForLog(/background jobs: on/)),
      ]);
    });

    after(async () => {
      for (const server of servers) server.kill();
      await db?.destroy();
      await database?.drop();
      await Promise.all([dovecot?.stop(), smtp?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    const web = (n: number) => `http://127.0.0.1:${webPorts[n]}`;

    it(`turns each of ${MESSAGES} messages into exactly one ticket with one acknowledgement`, async () => {
      await waitUntil(
        async () => (await count(db, 'outbox', { status: 'sent' })) >= MESSAGES,
        480_000,
        'every acknowledgement sent',
      );
      // A little longer, so that a second handling of any message would have shown by now.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(await count(db, 'inbound_mail'), MESSAGES);
      assert.equal(await count(db, 'inbound_mail', { status: 'processed' }), MESSAGES);
      assert.equal(await count(db, 'tickets'), MESSAGES);
      const subjects = (await db('tickets').pluck('subject')) as string[];
      assert.equal(new Set(subjects).size, MESSAGES, 'every message became exactly one ticket');
      assert.equal(await count(db, 'outbox', { kind: 'acknowledgement' }), MESSAGES);
      assert.equal(await count(db, 'outbox'), MESSAGES, 'nothing else was queued');
      const acknowledged = smtp.messages.flatMap((m) => m.envelopeTo).filter((to) => /^filer\d+@example\.com$/.test(to));
      assert.equal(acknowledged.length, MESSAGES, 'each acknowledgement reached the SMTP server once');
      assert.equal(new Set(acknowledged).size, MESSAGES, 'every filer got one');
      for (const m of await dovecot.listMessages()) assert.ok(m.flags.includes('\\Seen'), `uid ${m.uid} is marked read`);
      const intakeByWorker = workers.map((w) => (w.output().match(/"msg":"mail intake pass"/g) ?? []).length);
      assert.ok(
        intakeByWorker.every((passes) => passes > 0),
        `both workers read the mailbox (passes: ${intakeByWorker.join(', ')})`,
      );
    });

    it('knows on the second web process a staff session made on the first', async () => {
      const page = await fetch(`${web(0)}/staff/sign-in`);
      const cookies = cookiesOf(page);
      const signIn = await fetch(`${web(0)}/staff/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
        body: new URLSearchParams({ _csrf: csrfTokenFrom(await page.text()), email: staff.email, password: staff.password }),
      });
      assert.equal(signIn.status, 303);
      const session = cookiesOf(signIn).find((c) => c.startsWith('hd_staff='));
      assert.ok(session, 'signed in on the first web process');

      const withoutSession = await fetch(`${web(1)}/staff`, { redirect: 'manual' });
      assert.notEqual(withoutSession.status, 200, 'the queue needs a session');
      const queue = await fetch(`${web(1)}/staff`, { redirect: 'manual', headers: { cookie: session } });
      assert.equal(queue.status, 200);
      assert.match(await queue.text(), /Sign out Sam Agent/);
    });

    it(`gives exactly 2 of ${BOOKINGS} bookings of a slot with capacity 2, spread over both web processes`, async () => {
      const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const slots = (await (await fetch(`${web(0)}/api/callbacks/slots?from=${from}&days=14`)).json()) as {
        slots: Array<{ start: string; remaining: number }>;
      };
      const slot = slots.slots.find((s) => s.remaining === 2);
      assert.ok(slot, 'a free slot with two seats');
      const results = await Promise.all(
        Array.from({ length: BOOKINGS }, (_, i) =>
          fetch(`${web(i % 2)}/api/callbacks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: 'Casey Caller',
              phone: '(206) 555-0142',
              email: `caller${i}@example.com`,
              start: slot.start,
            }),
          }).then(async (res) => ({ status: res.status, body: (await res.json()) as { errors?: Array<{ code: string }> } })),
        ),
      );
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 2, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 409).length, BOOKINGS - 2);
      for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.errors?.[0].code, 'slot_full');
      assert.equal(await count(db, 'callbacks', { status: 'booked' }), 2);
      const after = (await (await fetch(`${web(1)}/api/callbacks/slots?from=${from}&days=14`)).json()) as {
        slots: Array<{ start: string }>;
      };
      assert.ok(!after.slots.some((s) => s.start === slot.start), 'the full slot is no longer offered');
    });

    it(`shares one limit of ${POST_LIMIT} public POSTs a minute per address across both web processes`, async () => {
      // The web processes trust a proxy on loopback, so a forwarded address stands for a new filer.
      const post = (i: number) =>
        fetch(`${web(i % 2)}/api/triage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
          body: JSON.stringify({ body: 'My PDF will not upload.' }),
        }).then((res) => res.status);
      const statuses: number[] = [];
      for (let i = 0; i <= POST_LIMIT; i += 1) statuses.push(await post(i));
      assert.deepEqual(
        statuses.map((s, i) => `${i}:${s}`).filter((_, i) => i >= POST_LIMIT - 1),
        [`${POST_LIMIT - 1}:200`, `${POST_LIMIT}:429`],
        'the request past the limit is refused, whichever process it reaches',
      );
      assert.ok(statuses.slice(0, POST_LIMIT).every((s) => s === 200));
    });

    it(`runs every job once per ${JOB_PERIOD_SECONDS}-second period, whichever worker gets there first`, async () => {
      const period = JOB_PERIOD_SECONDS * 1000;
      const first = Math.floor(Date.now() / period) + 1;
      await new Promise((resolve) => setTimeout(resolve, 6 * period));
      const last = Math.floor(Date.now() / period) - 1;
      const runs = workers.map(jobRuns);
      for (const [n, own] of runs.entries())
        assert.ok(
          own.some((r) => Math.floor(r.time / period) >= first),
          `worker ${n + 1} took part in the schedule`,
        );
      const all = runs.flatMap((own, n) => own.map((r) => ({ ...r, worker: n + 1 })));
      for (let p = first; p <= last; p += 1)
        for (const job of JOB_NAMES) {
          const ran = all.filter((r) => r.job === job && r.status === 'ran' && Math.floor(r.time / period) === p);
          const when = ran.map((r) => `worker ${r.worker} at +${r.time - p * period} ms`).join(', ');
          assert.equal(
            ran.length,
            1,
            `${job} ran ${ran.length} times in period ${p - first + 1} of ${last - first + 1} (${when})`,
          );
        }
    });

    it('stops every process cleanly on SIGTERM', async () => {
      for (const server of servers) server.child.kill('SIGTERM');
      for (const server of servers) assert.equal(await server.exited, 0, server.output().slice(-2000));
    });
  });
}

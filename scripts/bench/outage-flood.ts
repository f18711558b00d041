/**
 * Outage flood for `npm run bench` (alone: `npm run bench -- --outages`): CM/ECF is down, an outage is
 * declared, and 2,000 filers' reports are posted at once through HTTP (each a ticket, a report row and a
 * receipt queued and then mailed to a real SMTP receiver), while staff keep loading the queue. Reports
 * what was stored (counted in the database) and the queue's latency before and during the burst.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../src/db/knex';
import { createAuthService } from '../../src/staff/auth.service';
import { createOutageService } from '../../src/status/outages.service';
import { startSmtpReceiver } from '../../test/helpers/mail-servers';
import { signInCookie } from './queue';

const ROOT = path.join(__dirname, '..', '..');
const REPORTS = Number(process.env.BENCH_OUTAGE_REPORTS ?? 2000);
// As the intake bench's higher level; staff are a handful.
const REPORT_CONNECTIONS = 32;
const QUEUE_CONNECTIONS = 4;
const STAFF = { email: 'bench@example.gov', name: 'Bench Agent', role: 'agent' as const, password: 'bench passphrase long' };

function run(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );

/** Runs autocannon; the instance (to stop it) and its result. */
function cannon(options: autocannon.Options): { instance: autocannon.Instance; result: Promise<autocannon.Result> } {
  let instance!: autocannon.Instance;
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, res) => (error ? reject(error) : resolve(res)));
  });
  return { instance, result };
}

export interface FloodFigures {
  reports: number;
  seconds: number;
  created: number;
  failed: number;
  reportP99: number;
  stored: number;
  linked: number;
  receipts: number;
  queueShowsGroup: boolean;
  idle: { requests: number; p50: number; p99: number; errors: number };
  burst: { requests: number; p50: number; p99: number; errors: number };
  after: { requests: number; p50: number; p99: number; errors: number };
}

const count = async (q: Promise<Array<Record<string, unknown>>>) => Number(Object.values((await q)[0])[0]);

/** Seeds 1,000 tickets, declares an outage, serves, then measures the flood. */
export async function benchOutageFlood(
  dir: string,
  port: number,
  waitForHealth: (url: string) => Promise<void>,
): Promise<FloodFigures> {
  const url = `sqlite://${path.join(dir, 'outage-flood.sqlite3')}`;
  await exited(run('scripts/bench/seed-tickets.ts', [url, '1000']));
  const db = openDatabase(url);
  await createAuthService(db).createUser(STAFF);
  const outage = await createOutageService({ db, timezone: 'America/Los_Angeles' }).declare({
    scope: 'cmecf',
    message: 'CM/ECF is not accepting filings. We are working on it.',
    actor: 'cli',
  });
  await db.destroy();
  const smtp = await startSmtpReceiver();
  const base = `http://127.0.0.1:${port}`;
  const server = run('src/server.ts', [], {
    PORT: String(port),
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    // The bench signs in with a password alone.
    STAFF_MFA: 'optional',
    PUBLIC_URL: base,
    MAIL_FROM: 'ecf-help@court.example',
    ...smtp.mailEnv(),
  });
  try {
    await waitForHealth(`${base}/healthz`);
    const cookie = await signInCookie(base, STAFF.email, STAFF.password);
    const queuePage = { url: `${base}/staff`, headers: { cookie }, connections: QUEUE_CONNECTIONS };
    const idle = await cannon({ ...queuePage, duration: 3 }).result;

    let n = 0;
    const started = process.hrtime.bigint();
    const staffDuring = cannon({ ...queuePage, duration: 120 });
    const burst = await cannon({
      url: `${base}/api/status/reports`,
      connections: REPORT_CONNECTIONS,
      amount: REPORTS,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => {
            n += 1;
            return {
              ...req,
              body: JSON.stringify({
                name: `Filer ${n}`,
                email: `filer${n}@firm${n % 50}.example`,
                scope: 'cmecf',
                caseNumber: `2:26-cv-${String(n).padStart(5, '0')}`,
                description: `I could not file my response at ${n % 12} p.m.: the Submit page timed out twice. Will the judge accept it late?`,
              }),
            };
          },
        },
      ],
    }).result;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    staffDuring.instance.stop();
    const during = await staffDuring.result;
    // The queue with the reports in it: one row for them all, however many.
    const after = await cannon({ ...queuePage, duration: 3 }).result;

    const check = openDatabase(url);
    const stored = await count(check('outage_reports').count({ n: '*' }));
    const linked = await count(check('outage_reports').where({ outage_id: outage.id }).count({ n: '*' }));
    const receipts = await count(check('outbox').where({ kind: 'outage_receipt' }).count({ n: '*' }));
    await check.destroy();
    const queueAfter = await fetch(`${base}/staff?done=1`, { headers: { cookie }, redirect: 'manual' });
    const queueHtml = await queueAfter.text();
    if (!queueAfter.ok) console.error(`the queue answered ${queueAfter.status} after the burst: ${queueHtml.slice(0, 500)}`);
    return {
      reports: REPORTS,
      seconds,
      created: burst['2xx'],
      failed: burst.non2xx + burst.errors + burst.timeouts,
      reportP99: burst.latency.p99,
      stored,
      linked,
      receipts,
      queueShowsGroup: queueHtml.includes(`${stored} open reports`),
      idle: {
        requests: idle.requests.total,
        p50: idle.latency.p50,
        p99: idle.latency.p99,
        errors: idle.non2xx + idle.errors + idle.timeouts,
      },
      burst: {
        requests: during.requests.total,
        p50: during.latency.p50,
        p99: during.latency.p99,
        errors: during.non2xx + during.errors + during.timeouts,
      },
      after: {
        requests: after.requests.total,
        p50: after.latency.p50,
        p99: after.latency.p99,
        errors: after.non2xx + after.errors + after.timeouts,
      },
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
    await smtp.stop();
  }
}

export function printOutageFlood(f: FloodFigures): void {
  console.log(
    `\nOutage flood: ${f.reports} reports posted at once (${REPORT_CONNECTIONS} connections, SQLite) in ${f.seconds.toFixed(1)} s ` +
      `(${(f.reports / f.seconds).toFixed(0)}/s): ${f.created} answered 201, ${f.failed} failed, p99 ${f.reportP99} ms`,
  );
  console.log(
    `Stored in the database: ${f.stored} reports, ${f.linked} linked to the declared outage, ${f.receipts} receipts queued; ` +
      `the queue shows them as one row: ${f.queueShowsGroup ? 'yes' : 'NO'}`,
  );
  console.log('\n| staff queue page (/staff), 4 connections | requests | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| before the burst (3 s) | ${f.idle.requests} | ${f.idle.p50} | ${f.idle.p99} | ${f.idle.errors} |`);
  console.log(`| during the burst | ${f.burst.requests} | ${f.burst.p50} | ${f.burst.p99} | ${f.burst.errors} |`);
  console.log(
    `| after it, ${f.stored} more reports open (3 s) | ${f.after.requests} | ${f.after.p50} | ${f.after.p99} | ${f.after.errors} |`,
  );
}

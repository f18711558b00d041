/**
 * Queue benchmark for `npm run bench`: the staff queue page and a queue search, at 1,000 and at
 * 100,000 seeded tickets, each on its own server process and database, measured in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../src/db/knex';
import { createAuthService } from '../../src/staff/auth.service';

const ROOT = path.join(__dirname, '..', '..');

function run(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const finished = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );

/** A signed-in staff session's cookies, for load on staff pages. */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/staff/sign-in`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/staff/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('hd_staff='));
  if (!session) throw new Error(`bench sign-in failed: ${res.status}`);
  return [...cookies, session.split(';')[0]].join('; ');
}

export interface QueueFigures {
  tickets: number;
  what: string;
  rps: number;
  meanMs: number;
  p99: number;
  errors: number;
}

/** Seeds, serves and measures the queue at each size. */
export async function benchQueue(
  dir: string,
  port: number,
  seconds: number,
  waitForHealth: (url: string) => Promise<void>,
): Promise<QueueFigures[]> {
  const figures: QueueFigures[] = [];
  for (const tickets of [1000, 100000]) {
    const url = `sqlite://${path.join(dir, `queue-${tickets}.sqlite3`)}`;
    await finished(run('scripts/bench/seed-tickets.ts', [url, String(tickets)]));
    const db = openDatabase(url);
    await createAuthService(db).createUser({
      email: 'bench@example.gov',
      name: 'Bench Agent',
      role: 'agent',
      password: 'bench passphrase long',
    });
    await db.destroy();
    const server = run('src/server.ts', [], {
      PORT: String(port),
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      STAFF_MFA: 'optional', // the bench signs in with a password alone
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHealth(`${base}/healthz`);
      const cookie = await signInCookie(base, 'bench@example.gov', 'bench passphrase long');
      for (const [what, pathAndQuery] of [
        ['queue page (active, newest first)', '/staff'],
        ['queue page (all statuses)', '/staff?status=all'],
        ['queue search "upload document"', '/staff?status=all&q=upload%20document'],
      ] as const) {
        const result = await autocannon({
          url: `${base}${pathAndQuery}`,
          headers: { cookie },
          connections: 10,
          duration: seconds,
        });
        figures.push({
          tickets,
          what,
          rps: result.requests.average,
          meanMs: result.latency.mean,
          p99: result.latency.p99,
          errors: result.non2xx + result.errors,
        });
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
  }
  return figures;
}

/** The table and the scaling ratio (time per request at 100,000 ÷ at 1,000). */
export function printQueue(figures: QueueFigures[]): void {
  console.log('\n| queue | tickets | requests/s | mean ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const f of figures)
    console.log(`| ${f.what} | ${f.tickets} | ${f.rps.toFixed(0)} | ${f.meanMs.toFixed(2)} | ${f.p99} | ${f.errors} |`);
  const ratios = [...new Set(figures.map((f) => f.what))].map((what) => {
    const small = figures.find((f) => f.what === what && f.tickets === 1000) as QueueFigures;
    const large = figures.find((f) => f.what === what && f.tickets === 100000) as QueueFigures;
    return `${what}: ${(small.rps / large.rps).toFixed(2)}×`;
  });
  console.log(`\nTime per request at 100,000 tickets ÷ at 1,000: ${ratios.join('; ')}`);
}

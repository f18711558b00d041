/**
 * `npm run bench -- --scale[=N]`: the staff queue (active view, a word search, a case-number search)
 * and the filer's status page at 1,000 and at N tickets (default 1,000,000), on SQLite and on
 * PostgreSQL; then intake and FAQ search through one and through two web processes on PostgreSQL.
 * Tickets and their messages are seeded by bulk SQL (one INSERT … SELECT over a generated sequence per
 * table), not through the API, so that a million takes minutes. Without TEST_POSTGRES_URL the run
 * starts a private PostgreSQL cluster (scripts/postgres-cluster.sh) and removes it afterwards.
 * BENCH_SCALE_DATABASES=sqlite (or postgres) measures one database only; BENCH_SECONDS sets the length
 * of each row.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import { migrateLatest, openDatabase, type Db } from '../../src/db/knex';
import { createAuthService } from '../../src/staff/auth.service';
import { hashStatusToken, newStatusToken } from '../../src/tickets/status-token';
import { TOPICS, WORDS } from './ticket-words';

const ROOT = path.join(__dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// A handful of staff at once: the queue is a workplace page, not a public one.
const QUEUE_CONNECTIONS = 4;
const INTAKE_CONNECTIONS = 32;
// However long the history, a helpdesk's open work stays about this size: only the newest tickets
// are still new, open or waiting; everything older has been resolved or closed.
const BACKLOG = 400;
export const STAFF = {
  email: 'bench@example.gov',
  name: 'Bench Agent',
  role: 'agent' as const,
  password: 'bench passphrase long',
};
const SECRET = 'bench-secret-bench-secret-bench-secret';

const FAQ_QUERIES = [
  'forgot password',
  'pay filing fee',
  'summons',
  'notice of removal',
  'pdf too large',
  'pro se registration',
  'sealed document',
  'change email address',
  'pro hac vice',
  'redact',
];

export type Database = 'sqlite' | 'postgres';

interface Row {
  database: Database;
  tickets: number;
  what: string;
  connections: number;
  rps: number;
  meanMs: number;
  p99: number;
  errors: number;
  errorCodes: string;
}

/** `CASE <index> WHEN 0 THEN 'a' WHEN 1 THEN 'b' … END`, the same SQL on both databases. */
function pickSql(list: string[], index: string): string {
  return `CASE ${index} ${list.map((item, k) => `WHEN ${k} THEN '${item.replace(/'/g, "''")}'`).join(' ')} END`;
}

/** What differs between the two databases in the seeding SQL: the sequence, dates, padding. */
function seedDialect(database: Database, total: number) {
  if (database === 'postgres')
    return {
      sequence: `SELECT i FROM generate_series(1, ${total}) AS g(i)`,
      // i minutes before the end of November 2026: the newest ticket is the last one.
      timestamp: `to_char(timestamp '2026-12-01 00:00:00' - (${total} - i) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`,
      tokenHash: `lpad(to_hex(i), 64, '0')`,
      caseSequence: `lpad((i % 99999)::text, 5, '0')`,
    };
  return {
    sequence: `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${total}) SELECT i FROM g`,
    timestamp: `strftime('%Y-%m-%dT%H:%M:%fZ', '2026-12-01 00:00:00', '-' || (${total} - i) || ' minutes')`,
    tokenHash: `printf('%064x', i)`,
    caseSequence: `printf('%05d', i % 99999)`,
  };
}

/**
 * Seeds `total` tickets, each with the filer's message, a staff reply on every third and a case
 * number on every third, in one transaction. Index rows (full-text search) are the schema's business.
 */
export async function seedTickets(db: Db, database: Database, total: number): Promise<void> {
  const d = seedDialect(database, total);
  const body = `${pickSql(TOPICS, '((i + 3) % 15)')} || ': ' || ${Array.from({ length: 12 }, (_, k) => pickSql(WORDS, `((i * 7 + ${k * 3}) % 20)`)).join(` || ' ' || `)}`;
  const backlogStatus = pickSql(['new', 'open', 'waiting', 'open', 'resolved'], '(i % 5)');
  await db.transaction(async (trx) => {
    await trx.raw(`
      INSERT INTO tickets (id, reference_year, status, channel, subject, requester_name, requester_email, status_token_hash,
        flags, policy_reasons, created_at, updated_at, closed_at, first_response_due_at, first_response_at, resolution_business_hours)
      SELECT i, 2026,
        CASE WHEN i > ${total - BACKLOG} THEN ${backlogStatus} WHEN i % 3 = 0 THEN 'resolved' ELSE 'closed' END,
        ${pickSql(['web', 'api', 'email'], '(i % 3)')},
        ${pickSql(TOPICS, '(i % 15)')} || ' ' || i,
        'Filer ' || (i % 997), 'filer' || (i % 997) || '@example.com', ${d.tokenHash},
        '[]', '[]', ${d.timestamp}, ${d.timestamp},
        CASE WHEN i > ${total - BACKLOG} OR i % 3 = 0 THEN NULL ELSE ${d.timestamp} END,
        ${d.timestamp},
        CASE WHEN i > ${total - BACKLOG} THEN NULL ELSE ${d.timestamp} END,
        CASE WHEN i > ${total - BACKLOG} AND i % 5 <> 4 THEN NULL ELSE (i % 1703) * 3 / 100.0 END
      FROM (${d.sequence}) AS s`);
    await trx.raw(`
      INSERT INTO ticket_messages (ticket_id, direction, author, body_text, created_at)
      SELECT i, 'in', 'requester', ${body}, ${d.timestamp} FROM (${d.sequence}) AS s`);
    await trx.raw(`
      INSERT INTO ticket_messages (ticket_id, direction, author, body_text, created_at)
      SELECT i, 'out', 'staff', 'Thank you for writing. ' || ${pickSql(TOPICS, '(i % 15)')} || ': please try again and tell us what you see.', ${d.timestamp}
      FROM (${d.sequence}) AS s WHERE i % 3 = 0`);
    await trx.raw(`
      INSERT INTO ticket_case_numbers (ticket_id, number, office, year, type, sequence, judge_initials)
      SELECT i, '3:24-cv-' || ${d.caseSequence}, 3, 24, 'cv', i % 99999, '[]' FROM (${d.sequence}) AS s WHERE i % 3 = 0`);
    if (database === 'postgres') await trx.raw(`SELECT setval(pg_get_serial_sequence('tickets', 'id'), ${total})`);
  });
  // A running server keeps planner statistics fresh (the optimize-database job); so does the bench.
  await db.raw('ANALYZE');
}

/** Gives twenty tickets spread over the history a status token we know, for the status page. */
async function knownStatusTokens(db: Db, total: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let k = 1; k <= 20; k += 1) {
    const token = newStatusToken();
    await db('tickets')
      .where({ id: Math.max(1, Math.round((total * k) / 20)) })
      .update({ status_token_hash: hashStatusToken(token) });
    tokens.push(token);
  }
  return tokens;
}

export function startServer(url: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: url,
      HELPDESK_ROLES: 'web',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      STAFF_MFA: 'optional', // the bench signs in with a password alone
      SESSION_SECRET: SECRET,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

export async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} did not answer`);
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function signInCookie(base: string): Promise<string> {
  const page = await fetch(`${base}/staff/sign-in`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/staff/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, email: STAFF.email, password: STAFF.password }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('hd_staff='));
  if (!session) throw new Error(`bench sign-in failed: ${res.status}`);
  return [...cookies, session.split(';')[0]].join('; ');
}

/** Runs autocannon against every base URL at once, the connections shared out; figures summed. */
async function measure(bases: string[], connections: number, options: Partial<autocannon.Options>) {
  const results = await Promise.all(
    bases.map((base) => autocannon({ url: base, connections: connections / bases.length, duration: SECONDS, ...options })),
  );
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    meanMs: results.reduce((sum, r) => sum + r.latency.mean, 0) / results.length,
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    // Which answers the errors were, so that a failing row says why.
    errorCodes: [
      ...new Set(results.flatMap((r) => Object.keys(r.statusCodeStats ?? {}).filter((code) => !code.startsWith('2')))),
    ].join(' '),
  };
}

const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);

/** A database to seed: a file on SQLite, a new database in the cluster on PostgreSQL. */
export async function createDatabase(database: Database, dir: string, name: string) {
  if (database === 'sqlite') return { url: `sqlite://${path.join(dir, `${name}.sqlite3`)}`, drop: async () => {} };
  const admin = knexFactory({ client: 'pg', connection: process.env.TEST_POSTGRES_URL, pool: { min: 0, max: 1 } });
  await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = new URL(process.env.TEST_POSTGRES_URL as string);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // FORCE cannot end an autovacuum worker (a superuser's) busy after a bulk seed: the database is
      // then left to the cluster's removal rather than losing the figures measured.
      try {
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } catch (error) {
        console.warn(`could not drop ${name}: ${(error as Error).message}`);
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** Seeds `tickets` tickets on `database`, serves them with one web process and measures the pages. */
async function benchQueueAt(database: Database, dir: string, tickets: number): Promise<Row[]> {
  const target = await createDatabase(database, dir, `bench_scale_${tickets}`);
  const db = openDatabase(target.url);
  let tokens: string[];
  try {
    await migrateLatest(db);
    const started = process.hrtime.bigint();
    await seedTickets(db, database, tickets);
    console.log(`${database}: seeded ${tickets.toLocaleString('en-US')} tickets in ${seconds(started)} s`);
    await createAuthService(db).createUser(STAFF);
    tokens = await knownStatusTokens(db, tickets);
  } finally {
    await db.destroy();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(target.url, port);
  const rows: Row[] = [];
  try {
    await waitForHealth(base);
    const cookie = await signInCookie(base);
    const pages: Array<[string, autocannon.Request[]]> = [
      ['staff queue: active', [{ method: 'GET', path: '/staff', headers: { cookie } }]],
      [
        'staff queue: words "upload document"',
        [{ method: 'GET', path: '/staff?status=all&q=upload%20document', headers: { cookie } }],
      ],
      ['staff queue: case 3:24-cv-00042', [{ method: 'GET', path: '/staff?status=all&q=3%3A24-cv-00042', headers: { cookie } }]],
      ['filer status page', tokens.map((token) => ({ method: 'GET' as const, path: `/requests/${token}` }))],
    ];
    for (const [what, requests] of pages) {
      // The first request of each page is timed apart: on SQLite the first word search brings the
      // full-text index up to date with everything seeding stored.
      const first = process.hrtime.bigint();
      const res = await fetch(`${base}${requests[0].path}`, { headers: requests[0].headers as Record<string, string> });
      await res.text();
      if (!res.ok) throw new Error(`${what}: ${res.status}`);
      const firstSeconds = seconds(first);
      if (Number(firstSeconds) > 1) console.log(`${database}, ${tickets} tickets: first "${what}" took ${firstSeconds} s`);
      await autocannon({ url: base, connections: QUEUE_CONNECTIONS, duration: 2, requests });
      rows.push({
        database,
        tickets,
        what,
        connections: QUEUE_CONNECTIONS,
        ...(await measure([base], QUEUE_CONNECTIONS, { requests })),
      });
    }
  } finally {
    await stopServer(server);
    await target.drop();
  }
  return rows;
}

/** POST /api/tickets and FAQ search through one and through two web processes on one PostgreSQL. */
async function benchWebProcesses(dir: string): Promise<Row[]> {
  const target = await createDatabase('postgres', dir, 'bench_scale_web');
  const db = openDatabase(target.url);
  await migrateLatest(db);
  await db.destroy();
  const rows: Row[] = [];
  const servers: ChildProcess[] = [];
  const body = JSON.stringify({
    name: 'Bench Filer',
    email: 'bench@example.com',
    subject: 'Cannot open the NEF link in 3:20-cv-01234-JST',
    body: 'The document link in my Notice of Electronic Filing asks for a PACER login and then shows an error.',
  });
  try {
    const bases: string[] = [];
    for (const processes of [1, 2]) {
      while (bases.length < processes) {
        const port = await freePort();
        servers.push(startServer(target.url, port));
        bases.push(`http://127.0.0.1:${port}`);
        await waitForHealth(bases[bases.length - 1]);
      }
      const intake = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body };
      // Warm-up (JIT, caches) before each measured row, not counted.
      await Promise.all(bases.map((url) => autocannon({ url: `${url}/api/tickets`, connections: 8, duration: 3, ...intake })));
      const what = `${processes} web process${processes > 1 ? 'es' : ''}`;
      rows.push({
        database: 'postgres',
        tickets: 0,
        what: `POST /api/tickets, ${what}`,
        connections: INTAKE_CONNECTIONS,
        ...(await measure(
          bases.map((b) => `${b}/api/tickets`),
          INTAKE_CONNECTIONS,
          intake,
        )),
      });
      rows.push({
        database: 'postgres',
        tickets: 0,
        what: `GET /api/faq/search, ${what}`,
        connections: INTAKE_CONNECTIONS,
        ...(await measure(bases, INTAKE_CONNECTIONS, {
          requests: FAQ_QUERIES.map((q) => ({
            method: 'GET' as const,
            path: `/api/faq/search?q=${encodeURIComponent(q)}&limit=5`,
          })),
        })),
      });
    }
  } finally {
    for (const server of servers) await stopServer(server);
    await target.drop();
  }
  return rows;
}

function printRows(rows: Row[], total: number): void {
  console.log('\n| database | what | tickets | connections | requests/s | mean ms | p99 ms | errors |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.database} | ${r.what} | ${r.tickets ? r.tickets.toLocaleString('en-US') : '–'} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.meanMs.toFixed(2)} | ${r.p99} | ${r.errors}${r.errorCodes ? ` (${r.errorCodes})` : ''} |`,
    );
  console.log(`\nTime per request at ${total.toLocaleString('en-US')} tickets ÷ at 1,000 (goal: at most 1.5; p99 under 100 ms):`);
  for (const large of rows.filter((r) => r.tickets === total)) {
    const small = rows.find((r) => r.database === large.database && r.what === large.what && r.tickets === 1000);
    if (small) console.log(`  ${large.database}, ${large.what}: ${(small.rps / large.rps).toFixed(2)}× (p99 ${large.p99} ms)`);
  }
  const web = (what: string, n: number) => rows.find((r) => r.what === `${what}, ${n} web process${n > 1 ? 'es' : ''}`);
  for (const what of ['POST /api/tickets', 'GET /api/faq/search']) {
    const one = web(what, 1);
    const two = web(what, 2);
    if (one && two)
      console.log(
        `${what}, two web processes ÷ one: ${(two.rps / one.rps).toFixed(2)}×${what.startsWith('POST') ? ' (goal: at least 1.6)' : ''}`,
      );
  }
}

/** The scale bench; `args` are the command line's (`--scale` or `--scale=N`). */
export async function benchScale(args: string[]): Promise<void> {
  const option = args.find((a) => a.startsWith('--scale'));
  const total = option?.includes('=') ? Number(option.split('=')[1]) : 1_000_000;
  if (!Number.isInteger(total) || total < 1000) throw new Error('--scale=N needs a whole number of at least 1000');
  const databases = (process.env.BENCH_SCALE_DATABASES ?? 'sqlite,postgres').split(',') as Database[];
  if (databases.includes('postgres') && !process.env.TEST_POSTGRES_URL) {
    // Again, inside a private cluster that goes when the run ends.
    const run = spawnSync(
      'bash',
      [path.join(ROOT, 'scripts', 'postgres-cluster.sh'), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    process.exit(run.status ?? 1);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-scale-'));
  console.log(`${os.cpus().length} cores, ${SECONDS} s per row; ${total.toLocaleString('en-US')} tickets`);
  const rows: Row[] = [];
  try {
    for (const database of databases)
      for (const tickets of [1000, total]) rows.push(...(await benchQueueAt(database, dir, tickets)));
    if (databases.includes('postgres')) rows.push(...(await benchWebProcesses(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printRows(rows, total);
}

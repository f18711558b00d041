/**
 * `npm run bench -- --reports[=N]`: the staff reports (/staff/reports) over a year, over the default
 * 30 days and with a topic, and the CSV export of a month, at N tickets (default 1,000,000), on SQLite
 * and on PostgreSQL. Tickets are seeded as the scale bench seeds them (scripts/bench/scale.ts: one a
 * minute up to the end of November 2026, so a year holds about 525,000), then given what reports
 * count: topics, refusals, review flags, outage reports, first replies, closings and times to resolve spread over
 * business hours and days, tags, callbacks and FAQ readings. Goal: a year's report under a second.
 * BENCH_SCALE_DATABASES=sqlite (or postgres) measures one database only; without TEST_POSTGRES_URL
 * the run starts a private PostgreSQL cluster (scripts/postgres-cluster.sh).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateLatest, openDatabase, type Db } from '../../src/db/knex';
import { createAuthService } from '../../src/staff/auth.service';
import {
  createDatabase,
  freePort,
  seedTickets,
  signInCookie,
  STAFF,
  startServer,
  stopServer,
  waitForHealth,
  type Database,
} from './scale';

const ROOT = path.join(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 7);

/** `created_at` plus a number of minutes (an SQL expression), written as instants are stored. */
function minutesAfter(database: Database, minutes: string): string {
  return database === 'postgres'
    ? `to_char(created_at::timestamptz AT TIME ZONE 'UTC' + (${minutes}) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || (${minutes}) || ' minutes')`;
}

/** What the scale bench's tickets lack for a report: topics, flags, replies, closings and times to resolve, tags, callbacks, FAQ use. */
export async function addReportFacts(db: Db, database: Database, total: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw(`
      UPDATE tickets SET
        topic = CASE id % 8 WHEN 0 THEN NULL WHEN 1 THEN 'filing' WHEN 2 THEN 'accounts-and-access' WHEN 3 THEN 'getting-help'
          WHEN 4 THEN 'notices-of-electronic-filing' ELSE 'about-cm-ecf' END,
        flags = CASE WHEN id % 50 = 0 THEN '["outage_report"]' WHEN id % 37 = 0 THEN '["legal_advice"]'
          WHEN id % 41 = 0 THEN '["needs_review"]' WHEN id % 23 = 0 THEN '["privacy_redacted"]' ELSE '[]' END,
        status = CASE WHEN id % 37 = 0 AND id % 50 <> 0 THEN 'rejected' ELSE status END,
        first_response_due_at = CASE WHEN id % 37 = 0 AND id % 50 <> 0 THEN NULL ELSE ${minutesAfter(database, '120')} END,
        first_response_at = CASE WHEN first_response_at IS NULL OR (id % 37 = 0 AND id % 50 <> 0) THEN NULL
          ELSE ${minutesAfter(database, 'id % 997')} END,
        closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE ${minutesAfter(database, '(id % 4001) + 30')} END,
        resolution_business_hours = CASE WHEN id % 37 = 0 AND id % 50 <> 0 THEN NULL ELSE resolution_business_hours END`);
    await trx.raw(
      `INSERT INTO ticket_tags (ticket_id, tag, created_at) SELECT id, 'pacer', created_at FROM tickets WHERE id % 20 = 0`,
    );
    await trx.raw(
      `INSERT INTO ticket_tags (ticket_id, tag, created_at) SELECT id, 'sealed filing', created_at FROM tickets WHERE id % 55 = 0`,
    );
    await trx.raw(`
      INSERT INTO callbacks (slot_start, slot_end, seat, status, name, phone, email, ticket_id, manage_token_hash, attempts, created_at, updated_at)
      SELECT ${minutesAfter(database, '1440')}, ${minutesAfter(database, '1455')}, 1,
        CASE id % 5 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'unreachable' ELSE 'completed' END,
        'Bench Filer', '+12065550100', 'filer@example.com', id, 'callback-' || id, id % 3, created_at, created_at
      FROM tickets WHERE id % 200 = 0`);
  });
  // A year and a half of FAQ readings, a few answers a day.
  const days: Array<{ day: string; answer_id: string; views: number; requests_followed: number }> = [];
  for (let d = Date.parse('2025-06-01T00:00:00Z'); d < Date.parse('2026-12-01T00:00:00Z'); d += 86_400_000)
    for (const [k, answer] of ['reset-password', 'pacer-login', 'pdf-too-large'].entries())
      days.push({ day: new Date(d).toISOString().slice(0, 10), answer_id: answer, views: 40 + k * 10, requests_followed: 3 + k });
  for (let i = 0; i < days.length; i += 200) await db('faq_answer_days').insert(days.slice(i, i + 200));
  // The UPDATE above wrote every ticket again; on PostgreSQL that leaves every index twice its size,
  // which a table that grew over years would not be. VACUUM FULL writes them afresh.
  await db.raw(database === 'postgres' ? 'VACUUM FULL ANALYZE tickets' : 'ANALYZE');
  if (database === 'postgres') await db.raw('VACUUM ANALYZE');
  console.log(`${database}: report facts added to ${total.toLocaleString('en-US')} tickets`);
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Times `RUNS` requests of `path` one after another (after a first one, reported apart). */
async function timePage(
  base: string,
  cookie: string,
  path: string,
): Promise<{ first: number; median: number; max: number; bytes: number }> {
  const once = async () => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return { took: seconds(started), bytes: body.byteLength };
  };
  const first = await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push((await once()).took);
  times.sort((a, b) => a - b);
  return { first: first.took, median: times[Math.floor(times.length / 2)], max: times[times.length - 1], bytes: first.bytes };
}

async function benchReportsOn(database: Database, dir: string, total: number) {
  const target = await createDatabase(database, dir, `bench_reports_${total}`);
  const db = openDatabase(target.url);
  try {
    await migrateLatest(db);
    const started = process.hrtime.bigint();
    await seedTickets(db, database, total);
    await addReportFacts(db, database, total);
    console.log(`${database}: seeded in ${seconds(started).toFixed(0)} s`);
    await createAuthService(db).createUser({ ...STAFF, role: 'supervisor' });
  } finally {
    await db.destroy();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(target.url, port);
  const rows: Array<{ database: Database; what: string; first: number; median: number; max: number; bytes: number }> = [];
  try {
    await waitForHealth(base);
    const cookie = await signInCookie(base);
    const pages: Array<[string, string]> = [
      ['report, a year (2025-12-01 to 2026-11-30)', '/staff/reports?from=2025-12-01&to=2026-11-30'],
      ['report, a year, topic "filing"', '/staff/reports?from=2025-12-01&to=2026-11-30&topic=filing'],
      ['report, a year, tag "pacer"', '/staff/reports?from=2025-12-01&to=2026-11-30&tag=pacer'],
      ['report, 30 days', '/staff/reports?from=2026-11-01&to=2026-11-30'],
      ['CSV export, a month', '/staff/reports/export.csv?from=2026-11-01&to=2026-11-30'],
    ];
    for (const [what, path] of pages) rows.push({ database, what, ...(await timePage(base, cookie, path)) });
  } finally {
    await stopServer(server);
    await target.drop();
  }
  return rows;
}

/** The reports bench; `args` are the command line's (`--reports` or `--reports=N`). */
export async function benchReports(args: string[]): Promise<void> {
  const option = args.find((a) => a.startsWith('--reports'));
  const total = option?.includes('=') ? Number(option.split('=')[1]) : 1_000_000;
  if (!Number.isInteger(total) || total < 1000) throw new Error('--reports=N needs a whole number of at least 1000');
  const databases = (process.env.BENCH_SCALE_DATABASES ?? 'sqlite,postgres').split(',') as Database[];
  if (databases.includes('postgres') && !process.env.TEST_POSTGRES_URL) {
    const run = spawnSync(
      'bash',
      [path.join(ROOT, 'scripts', 'postgres-cluster.sh'), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      { cwd: ROOT, stdio: 'inherit' },
    );
    process.exit(run.status ?? 1);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-reports-'));
  console.log(
    `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ${total.toLocaleString('en-US')} tickets; ${RUNS} requests a row after a first`,
  );
  const rows = [];
  try {
    for (const database of databases) rows.push(...(await benchReportsOn(database, dir, total)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n| database | what | first s | median s | slowest s | size KiB |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.database} | ${r.what} | ${r.first.toFixed(2)} | ${r.median.toFixed(2)} | ${r.max.toFixed(2)} | ${(r.bytes / 1024).toFixed(0)} |`,
    );
  const year = rows.filter((r) => r.what.startsWith('report, a year ('));
  for (const r of year) console.log(`${r.database}: a year's report, median ${r.median.toFixed(2)} s (goal: under 1 s)`);
  console.log(`load after the run: ${os.loadavg()[0].toFixed(1)} (the machine may be shared; figures are of this run only)`);
}

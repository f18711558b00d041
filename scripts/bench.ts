/**
 * `npm run bench`: starts the helpdesk on a temporary database and a bare Express baseline, then
 * measures each with autocannon in this run, so that the ratio (not the absolute figure) is read.
 * Each server runs in its own process; load comes from this one.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import lunr from 'lunr';
import { FAQ_DIR } from '../src/paths';
import { courtProfileSchema } from '../src/config/court-profile';
import { loadFaqAnswers } from '../src/faq/faq-content';
import { createFaqSearch } from '../src/faq/faq-search';
import { benchFaqSearch } from './bench/faq-search';
import { benchMail, printMail } from './bench/mail';
import { benchOutageFlood, printOutageFlood } from './bench/outage-flood';
import { benchQueue, printQueue } from './bench/queue';
import { benchReports } from './bench/reports';
import { benchScale } from './bench/scale';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// Intake commits concurrent requests together, so it is measured at two levels of concurrency.
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,32').split(',').map(Number);
const ROOT = path.join(__dirname, '..');
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);

function start(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

interface Figures {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, connections: number, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections, duration: DURATION, ...options });
  return {
    name,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

// What filers type into the search box, including half-typed words and typos.
const TYPED_QUERIES = [
  'forgot password',
  'pasword',
  'pay filing fee',
  'summons',
  'summ',
  'notice of removal',
  'not receiving notices',
  'pdf too large',
  'link pacer account',
  'pro se registration',
  'sealed document',
  'exhibits',
  'filing mistake',
  'wrong event',
  'certificate of service',
  'helpdesk hours',
  'maintenance',
  'system down',
  'refund duplicate fee',
  'change email address',
  'secondary email',
  'bounced email',
  'one free look',
  'social security case',
  'pro hac vice',
  'client code',
  'already logged in',
  'nextgen',
  'training class',
  'redact',
];

const WORDS = TYPED_QUERIES.flatMap((q) => q.split(' ')).concat([
  'court',
  'judge',
  'case',
  'docket',
  'attorney',
  'firm',
  'upload',
  'login',
]);
const randomPair = () => `${WORDS[Math.floor(Math.random() * WORDS.length)]} ${WORDS[Math.floor(Math.random() * WORDS.length)]}`;

/** Start-up cost of the FAQ index: building it from faq-content/ against loading a prebuilt one. */
function faqIndexTimings(): string {
  const profile = courtProfileSchema.parse({});
  const median = (f: () => void) => {
    const times = Array.from({ length: 7 }, () => {
      const start = process.hrtime.bigint();
      f();
      return Number(process.hrtime.bigint() - start) / 1e6;
    }).sort((a, b) => a - b);
    return times[3].toFixed(1);
  };
  const answers = loadFaqAnswers(FAQ_DIR, profile);
  const built = lunr(function () {
    this.ref('id');
    this.field('title', { boost: 10 });
    this.field('keywords', { boost: 6 });
    this.field('text');
    this.metadataWhitelist = ['position'];
    for (const a of answers) this.add({ id: a.id, title: a.title, keywords: a.keywords.join(' '), text: a.text });
  });
  const serialised = JSON.stringify(built);
  const readAndRender = median(() => loadFaqAnswers(FAQ_DIR, profile));
  const build = median(() => createFaqSearch(answers));
  const load = median(() => lunr.Index.load(JSON.parse(serialised)));
  return `FAQ index (${answers.length} answers, median of 7): read and render Markdown ${readAndRender} ms; build Lunr index ${build} ms; load a prebuilt index ${load} ms (${(serialised.length / 1024).toFixed(0)} KiB)`;
}

function ticketBody(): string {
  return JSON.stringify({
    name: 'Bench Filer',
    email: 'bench@example.com',
    subject: 'Cannot open the NEF link in 3:20-cv-01234-JST',
    body: 'The document link in my Notice of Electronic Filing asks for a PACER login and then shows an error.',
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-'));
  const appPort = 3901;
  const basePort = 3902;
  const children = [
    start('src/server.ts', [], {
      PORT: String(appPort),
      DATABASE_URL: `sqlite://${path.join(dir, 'app.sqlite3')}`,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    }),
    start('scripts/bench/baseline-server.ts', [String(basePort), `sqlite://${path.join(dir, 'base.sqlite3')}`], {}),
  ];
  try {
    await waitForHealth(`http://127.0.0.1:${appPort}/healthz`);
    await waitForHealth(`http://127.0.0.1:${basePort}/healthz`);
    const json = { 'content-type': 'application/json' };
    const rows: Figures[] = [];
    rows.push(await measure('baseline: bare Express GET JSON', CONNECTIONS[0], { url: `http://127.0.0.1:${basePort}/healthz` }));
    const insert = { method: 'POST' as const, headers: json, body: ticketBody() };
    // Warm both servers up first (JIT, regular expressions, caches): the figures are of steady running.
    for (const url of [`http://127.0.0.1:${basePort}/insert`, `http://127.0.0.1:${appPort}/api/tickets`])
      await autocannon({ url, connections: CONNECTIONS[0], duration: WARM_UP_SECONDS, ...insert });
    const ratios: string[] = [];
    for (const connections of CONNECTIONS) {
      const base = await measure('baseline: bare Express + knex insert', connections, {
        url: `http://127.0.0.1:${basePort}/insert`,
        ...insert,
      });
      const app = await measure('POST /api/tickets', connections, { url: `http://127.0.0.1:${appPort}/api/tickets`, ...insert });
      rows.push(base, app);
      ratios.push(`${connections} connections: ${(app.rps / base.rps).toFixed(2)}`);
    }
    const bareGet = rows[0];
    const searches = [
      await measure("GET /api/faq/search, filers' queries (cached after first)", CONNECTIONS[0], {
        url: `http://127.0.0.1:${appPort}`,
        requests: TYPED_QUERIES.map((q) => ({
          method: 'GET' as const,
          path: `/api/faq/search?q=${encodeURIComponent(q)}&limit=5`,
        })),
      }),
      await measure('GET /api/faq/search, random word pairs (mostly uncached)', CONNECTIONS[0], {
        url: `http://127.0.0.1:${appPort}`,
        requests: [
          {
            method: 'GET' as const,
            setupRequest: (req) => ({ ...req, path: `/api/faq/search?q=${encodeURIComponent(randomPair())}&limit=5` }),
          },
        ],
      }),
    ];
    rows.push(...searches);
    console.log(`\n${DURATION}s per row, ${os.cpus().length} cores, SQLite in WAL mode (synchronous FULL)\n`);
    console.log('| what | connections | requests/s | p50 ms | p99 ms | errors |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      console.log(`| ${r.name} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
    }
    console.log(`\nPOST /api/tickets ÷ bare Express + knex insert: ${ratios.join('; ')}`);
    console.log(
      `FAQ search ÷ bare Express GET JSON: ${searches.map((r) => `${r.name.split(', ')[1]}: ${(r.rps / bareGet.rps).toFixed(2)}`).join('; ')}`,
    );
    console.log(faqIndexTimings());
    // In a process of its own, as a server reads requests: not in this one, whose heap holds the
    // load generator's results.
    process.stdout.write(execFileSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'bench', 'triage.ts')]));
    if (process.env.BENCH_SKIP_QUEUE !== '1') printQueue(await benchQueue(dir, 3903, DURATION, waitForHealth));
    if (process.env.BENCH_SKIP_MAIL !== '1') printMail(await benchMail());
    if (process.env.BENCH_SKIP_OUTAGES !== '1') printOutageFlood(await benchOutageFlood(dir, 3904, waitForHealth));
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench -- --outages`: the outage flood alone (scripts/bench/outage-flood.ts). */
async function outagesOnly(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-'));
  try {
    printOutageFlood(await benchOutageFlood(dir, 3904, waitForHealth));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run bench -- --scale[=N]` is the scale bench instead (scripts/bench/scale.ts).
if (process.argv.some((arg) => arg.startsWith('--scale'))) void benchScale(process.argv.slice(2));
// `npm run bench -- --reports[=N]`: the staff reports at N tickets (scripts/bench/reports.ts).
else if (process.argv.some((arg) => arg.startsWith('--reports'))) void benchReports(process.argv.slice(2));
else if (process.argv.includes('--outages')) void outagesOnly();
// `npm run bench -- --faq`: the FAQ search with a hundred answers in the database (scripts/bench/faq-search.ts).
else if (process.argv.includes('--faq')) void benchFaqSearch({ app: 3905, base: 3906 }, DURATION, waitForHealth);
else void main();

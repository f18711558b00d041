/**
 * FAQ search bench (`npm run bench -- --faq`): the helpdesk on a database holding a hundred answers
 * (faq-content/ and generated ones, as staff would add them), against the bare Express route, measured
 * in this run. Filers' typed queries (the same few again and again, as while typing), in English and in
 * Spanish, and random word pairs (mostly new). The floor: typed-query throughput at least 0.7 of the
 * bare route, p99 under 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrateLatest, openDatabase } from '../../src/db/knex';
import { readAnswerFiles } from '../../src/faq/faq-content';
import { importFolder, seedFromFolder } from '../../src/faq/faq-transfer';
import { FAQ_DIR } from '../../src/paths';

const ROOT = path.join(__dirname, '..', '..');
const ANSWERS = 100;

// What filers type into the search box, including half-typed words, typos and questions.
const TYPED = [
  'forgot password',
  'pasword',
  'pay filing fee',
  'summ',
  'notice of removal',
  'not receiving notices',
  'pdf too large',
  'link pacer account',
  'pro se registration',
  'sealed document',
  'exhibits',
  'wrong event',
  'certificate of service',
  'helpdesk hours',
  'system down',
  'refund duplicate fee',
  'change email address',
  'bounced email',
  'one free look',
  'pro hac vice',
  'already logged in',
  'nextgen',
  'lost my phone code',
  'how do i get a summons for my case',
  'multi factor authentication',
];
// The same, as Spanish-speaking filers type them (searched with lang=es in the Spanish answers).
const TYPED_ES = [
  'olvide mi contraseña',
  'contrasena',
  'pagar cuota',
  'citac',
  'no me llegan los avisos',
  'pdf muy grande',
  'vincular cuenta pacer',
  'me represento solo',
  'documento sellado',
  'pruebas',
  'evento equivocado',
  'sistema caido',
  'horario mesa de ayuda',
  'me cobraron dos veces',
  'cambiar correo',
  '¿cómo presento una demanda nueva?',
];
const WORDS = TYPED.flatMap((q) => q.split(' ')).concat(['court', 'judge', 'case', 'docket', 'attorney', 'upload', 'login']);
const randomPair = () => `${WORDS[Math.floor(Math.random() * WORDS.length)]} ${WORDS[Math.floor(Math.random() * WORDS.length)]}`;

function run(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A database with faq-content/ and enough generated answers (variants of the shipped ones) to make `ANSWERS`. */
async function hundredAnswers(dir: string, url: string): Promise<number> {
  const db = openDatabase(url);
  try {
    await migrateLatest(db);
    await seedFromFolder(db, FAQ_DIR);
    const shipped = readAnswerFiles(FAQ_DIR);
    const extra = path.join(dir, 'extra');
    mkdirSync(extra);
    for (let i = 0; shipped.length + i < ANSWERS; i += 1) {
      const { file, source } = shipped[i % shipped.length];
      const id = `${file.replace(/\.md$/, '')}-local-${i}`;
      const variant = source
        .replace(/^id: .*$/m, `id: ${id}`)
        .replace(/^title: "(.*)"$/m, (_line, title: string) => `title: "${title.replace(/\?$/, '')} (local practice ${i})?"`)
        .replace(/^related: .*$/m, '');
      writeFileSync(path.join(extra, `${id}.md`), variant);
    }
    const { problems } = await importFolder(db, extra, { by: 'cli', byName: null });
    if (problems.length > 0) throw new Error(`generated answers: ${problems.slice(0, 3).join('; ')}`);
    // English answers (the Spanish versions of the shipped ones are in the table too).
    const english = db('faq_answers').where({ language: 'en' });
    return Number(((await english.count({ n: '*' }).first()) as { n: number | string }).n);
  } finally {
    await db.destroy();
  }
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, options: autocannon.Options, seconds: number): Promise<Row> {
  const result = await autocannon({ connections: 10, duration: seconds, ...options });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** Runs the FAQ search bench; prints its table and the ratio to the bare route. */
export async function benchFaqSearch(
  ports: { app: number; base: number },
  seconds: number,
  waitForHealth: (url: string) => Promise<void>,
): Promise<Row[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-faq-'));
  const appUrl = `sqlite://${path.join(dir, 'app.sqlite3')}`;
  const answers = await hundredAnswers(dir, appUrl);
  const children = [
    run('src/server.ts', [], {
      PORT: String(ports.app),
      DATABASE_URL: appUrl,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
      HELPDESK_ROLES: 'web',
    }),
    run('scripts/bench/baseline-server.ts', [String(ports.base), `sqlite://${path.join(dir, 'base.sqlite3')}`]),
  ];
  try {
    const app = `http://127.0.0.1:${ports.app}`;
    const base = `http://127.0.0.1:${ports.base}`;
    await waitForHealth(`${app}/healthz`);
    await waitForHealth(`${base}/healthz`);
    const typed = TYPED.map((q) => ({ method: 'GET' as const, path: `/api/faq/search?q=${encodeURIComponent(q)}&limit=5` }));
    // Warm both up (JIT, caches): the figures are of steady running.
    await autocannon({ url: base, connections: 10, duration: 2 });
    await autocannon({ url: app, connections: 10, duration: 2, requests: typed });
    const rows = [
      await measure('bare Express GET JSON', { url: `${base}/healthz` }, seconds),
      await measure("GET /api/faq/search, filers' typed queries", { url: app, requests: typed }, seconds),
      await measure(
        "GET /api/faq/search?lang=es, Spanish filers' typed queries",
        {
          url: app,
          requests: TYPED_ES.map((q) => ({
            method: 'GET' as const,
            path: `/api/faq/search?q=${encodeURIComponent(q)}&limit=5&lang=es`,
          })),
        },
        seconds,
      ),
      await measure(
        'GET /api/faq/search, random word pairs (mostly new)',
        {
          url: app,
          requests: [
            {
              method: 'GET' as const,
              setupRequest: (req) => ({ ...req, path: `/api/faq/search?q=${encodeURIComponent(randomPair())}&limit=5` }),
            },
          ],
        },
        seconds,
      ),
    ];
    console.log(
      `\nFAQ search with ${answers} answers in the database, ${seconds}s per row, 10 connections, ${os.cpus().length} cores\n`,
    );
    console.log('| what | requests/s | p50 ms | p99 ms | errors |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
    const [bare, typedRow, spanishRow, pairs] = rows;
    console.log(
      `\nFAQ search ÷ bare Express: typed queries ${(typedRow.rps / bare.rps).toFixed(2)} (floor 0.70), p99 ${typedRow.p99} ms (floor 20); Spanish typed queries ${(spanishRow.rps / bare.rps).toFixed(2)}, p99 ${spanishRow.p99} ms; random pairs ${(pairs.rps / bare.rps).toFixed(2)}, p99 ${pairs.p99} ms`,
    );
    return rows;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

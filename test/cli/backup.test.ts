import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { migrateLatest, openDatabase, type Db } from '../../src/db/knex';
import { createTicketService } from '../../src/tickets/tickets.service';
import { testScopeRules } from '../helpers/app';
import { ticketInput } from '../helpers/factories';

const ROOT = path.join(__dirname, '..', '..');

/** `helpdesk backup …` in its own process; resolves with how it ended. */
function helpdesk(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

const count = async (db: Db, table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: number }).n);

describe('helpdesk backup', function () {
  this.timeout(120_000);
  // An SQLite file whatever database the rest of the suite runs on: the command copies SQLite only.
  let t: { dir: string; db: Db; url: string };
  let store: (subject: string, body: string) => Promise<unknown>;

  beforeEach(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-backup-'));
    const url = `sqlite://${path.join(dir, 'helpdesk.sqlite3')}`;
    const db = openDatabase(url);
    await migrateLatest(db);
    t = { dir, db, url };
    const tickets = createTicketService({
      db,
      profile: loadConfig({ DATABASE_URL: url, SESSION_SECRET: 's'.repeat(32) }).profile,
      scopeRules: testScopeRules(),
    });
    store = (subject, body) => tickets.create(ticketInput({ subject, body }), 'web');
  });
  afterEach(async () => {
    await t.db.destroy();
    rmSync(t.dir, { recursive: true, force: true });
  });

  it('copies the SQLite database while tickets are being written: the copy opens, passes the integrity check and is consistent', async () => {
    // Enough rows that copying takes a while.
    const long = 'The PDF of the exhibit will not upload and the page says the file is too large. '.repeat(30);
    for (let n = 0; n < 400; n += 1) await store(`Request ${n}`, long);
    const before = await count(t.db, 'tickets');
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await store(`Written during the copy ${written}`, long);
        written += 1;
      }
    })();
    const file = path.join(t.dir, 'copy.sqlite3');
    const run = await helpdesk(['backup', file], { DATABASE_URL: t.url });
    writing = false;
    await writer;
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Copied the database to .*copy\.sqlite3/);
    assert.ok(written > 0, 'tickets were written while the command ran');
    assert.deepEqual(
      readdirSync(t.dir).filter((f) => f.includes('copy')),
      ['copy.sqlite3'],
      'no partial file is left beside the copy',
    );

    const copy = openDatabase(`sqlite://${file}`);
    try {
      const check = (await copy.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
      assert.deepEqual(check, [{ integrity_check: 'ok' }]);
      const tickets = await count(copy, 'tickets');
      assert.ok(
        tickets >= before && tickets <= before + written,
        `${tickets} tickets, between ${before} and ${before + written}`,
      );
      // Each ticket and its first message are written in one transaction: a torn copy would part them.
      const firstMessages = Number(
        ((await copy('ticket_messages').countDistinct({ n: 'ticket_id' }).first()) as { n: number }).n,
      );
      assert.equal(firstMessages, tickets);
      assert.equal(await count(copy, 'knex_migrations'), await count(t.db, 'knex_migrations'));
    } finally {
      await copy.destroy();
    }
  });

  it('will not overwrite a file, and says what it needs when the file is missing', async () => {
    const file = path.join(t.dir, 'already-there.sqlite3');
    writeFileSync(file, 'keep me');
    const env = { DATABASE_URL: t.url };
    const taken = await helpdesk(['backup', file], env);
    assert.equal(taken.status, 2);
    assert.match(taken.stderr, /already exists/);
    assert.equal(statSync(file).size, 'keep me'.length);
    const none = await helpdesk(['backup'], env);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^Usage: npx helpdesk backup FILE/m);
  });

  it('says there is nothing to copy when the SQLite file does not exist, and creates none', async () => {
    const missing = path.join(t.dir, 'missing.sqlite3');
    const run = await helpdesk(['backup', path.join(t.dir, 'copy.sqlite3')], { DATABASE_URL: `sqlite://${missing}` });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no SQLite database at /);
    assert.equal(existsSync(missing), false);
  });

  it('on PostgreSQL exits 2 and names pg_dump, without printing the password', async () => {
    const run = await helpdesk(['backup', path.join(t.dir, 'copy.sqlite3')], {
      DATABASE_URL: 'postgres://helpdesk:pg-secret-password@127.0.0.1:1/helpdesk',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /pg_dump/);
    assert.ok(!run.stderr.includes('pg-secret-password'));
  });
});

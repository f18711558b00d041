import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/knex';
import { ticketInput } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { freePort, startDovecot, type DovecotServer } from '../helpers/mail-servers';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';

const ROOT = path.join(__dirname, '..', '..');

/** One POST on a connection of its own; resolves with the status once the whole answer has arrived. */
function post(port: number, pathname: string, body: unknown): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        res.resume();
        res.once('end', () => (res.complete ? resolve(res.statusCode ?? 0) : reject(new Error('answer cut short'))));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(data);
  });
}

const count = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: number }).n);

describe('SIGTERM', function () {
  this.timeout(300_000);
  let dovecot: DovecotServer;
  let dir: string;
  let db: Db;
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;

  before(async () => {
    dovecot = await startDovecot();
    dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-sigterm-'));
  });
  after(async () => {
    server?.kill();
    await db?.destroy();
    await database?.drop();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops taking requests and mail, finishes what is in flight, and exits 0 within 15 s; nothing lost, nothing doubled', async () => {
    const total = 1500;
    const raws = [];
    // Distinct senders and subjects: each message must become its own ticket.
    for (let n = 0; n < total; n += 1) raws.push(await rawMail({ from: `filer${n}@example.com`, subject: `Mail request ${n}` }));
    await dovecot.appendMany(raws);

    // An empty database: the server brings it up to date as it starts.
    database = await createTestDatabase(dir, { migrated: false });
    const url = database.url;
    const port = await freePort();
    const env = { ...dovecot.mailEnv(), MAIL_FROM, DATABASE_URL: url, SESSION_SECRET: 's'.repeat(32), LOG_LEVEL: 'warn' };
    server = startServerProcess({ ...env, PORT: String(port) });
    // Until the server has created its tables, the database is not there to read.
    db = openDatabase(url);
    const stored = () => count(db, 'inbound_mail').catch(() => 0);
    await waitUntil(async () => (await stored()) >= 100, 120_000, 'the first batch of mail to be stored');

    // A burst of requests that take a while (the scope guard on long texts, new tickets), all sent
    // and taken in before the signal.
    const long = 'The exhibit will not upload to CM/ECF and the page says the PDF is too large to file. '.repeat(600);
    const answers = [
      ...Array.from({ length: 24 }, () => post(port, '/api/triage', { subject: 'Upload', body: long })),
      ...Array.from({ length: 24 }, (_, n) => post(port, '/api/tickets', ticketInput({ subject: `Web request ${n}` }))),
    ];
    const settled = Promise.allSettled(answers);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const took = Date.now() - signalled;
    assert.equal(code, 0, server.output());
    assert.ok(took < 15_000, `exited ${took} ms after SIGTERM`);

    const outcomes = await settled;
    const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    assert.deepEqual(failed, [], 'every request taken in was answered');
    const statuses = outcomes.map((o) => (o as PromiseFulfilledResult<number>).value);
    assert.deepEqual(statuses.slice(0, 24), Array(24).fill(200));
    assert.deepEqual(statuses.slice(24), Array(24).fill(201));
    assert.equal(await count(db, 'tickets', { channel: 'api' }), 24);

    // Every message is either one ticket and \Seen, or no ticket and not \Seen (the next poll's).
    const messages = await dovecot.listMessages();
    assert.equal(messages.length, total);
    const subjects = (await db('tickets').where({ channel: 'email' }).pluck('subject')) as string[];
    const tickets = new Map<string, number>();
    for (const subject of subjects) tickets.set(subject, (tickets.get(subject) ?? 0) + 1);
    let seen = 0;
    for (const [n, m] of messages.entries()) {
      const made = tickets.get(`Mail request ${n}`) ?? 0;
      if (m.flags.includes('\\Seen')) {
        seen += 1;
        assert.equal(made, 1, `message ${n} is \\Seen and became ${made} tickets`);
      } else assert.equal(made, 0, `message ${n} was left for the next poll but became ${made} tickets`);
    }
    assert.ok(seen > 0 && seen < total, `the signal came in the middle of the mail (${seen} of ${total} taken)`);
    assert.equal(await count(db, 'inbound_mail', { status: 'received' }), 0, 'nothing stored is left half done');
    assert.equal(await count(db, 'job_leases'), 0, 'no job lease is held');
    const checkpoint = (await db('mail_checkpoints').first()) as { last_uid: number };
    assert.equal(checkpoint.last_uid, messages[seen - 1].uid, 'the checkpoint follows the last message taken');

    // The next poll takes the rest, once each.
    const poll = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), 'mail:poll', '--once'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
        timeout: 240_000,
      },
    );
    assert.equal(poll.status, 0, poll.stderr.toString());
    assert.equal(await count(db, 'tickets', { channel: 'email' }), total);
    const all = (await db('tickets').where({ channel: 'email' }).pluck('subject')) as string[];
    assert.equal(new Set(all).size, total, 'every message became exactly one ticket');
  });
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { imapClient, pollMailbox, pollOnce, watchMailbox, type ImapSettings } from '../../src/mail/inbound/imap-intake';
import { logger } from '../../src/logger';
import { openDatabase, type Db } from '../../src/db/knex';
import { buildTestApp, type TestApp } from '../helpers/app';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { startDovecot, startSmtpReceiver, type DovecotServer, type SmtpReceiver } from '../helpers/mail-servers';

const ROOT = path.join(__dirname, '..', '..');

function settingsOf(dovecot: DovecotServer): ImapSettings {
  return { host: dovecot.host, port: dovecot.port, user: dovecot.user, password: dovecot.password, tls: false, mailbox: 'INBOX' };
}

async function count(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('IMAP intake against a real Dovecot', function () {
  this.timeout(120_000);
  let dovecot: DovecotServer;
  let t: TestApp;

  before(async () => {
    dovecot = await startDovecot();
  });
  after(async () => {
    await dovecot.stop();
  });
  beforeEach(async () => {
    await dovecot.recreateMailbox('INBOX');
    t = await buildTestApp({ env: { ...dovecot.mailEnv(), MAIL_FROM } });
  });
  afterEach(() => t.close());

  const poll = () => pollOnce(settingsOf(dovecot), t.db, t.services.mail.intake, logger);

  it('processes read and unread mail alike, marks it \\Seen after the commit and resumes from the checkpoint', async () => {
    await dovecot.append(await rawMail({ subject: 'Unread one' }));
    await dovecot.append(await rawMail({ subject: 'Opened by a colleague' }), { flags: ['\\Seen'] });
    await dovecot.append(await rawMail({ subject: 'Unread two' }));
    const first = await poll();
    assert.deepEqual(first, { fetched: 3, processed: 3, quarantined: 0 });
    assert.deepEqual((await t.db('tickets').orderBy('id').pluck('subject')) as string[], [
      'Unread one',
      'Opened by a colleague',
      'Unread two',
    ]);
    for (const m of await dovecot.listMessages()) assert.ok(m.flags.includes('\\Seen'), `uid ${m.uid} is marked read`);
    const checkpoint = await t.db('mail_checkpoints').where({ mailbox: 'INBOX' }).first();
    assert.equal(checkpoint.last_uid, 3);
    assert.equal(checkpoint.uid_validity, String(await dovecot.uidValidity()));

    assert.deepEqual(await poll(), { fetched: 0, processed: 0, quarantined: 0 });
    await dovecot.append(await rawMail({ subject: 'Later' }));
    assert.deepEqual(await poll(), { fetched: 1, processed: 1, quarantined: 0 });
    assert.equal(await count(t.db, 'tickets'), 4);
  });

  it('keeps the checkpoint before a batch the server would not mark as read, and the next pass duplicates nothing', async () => {
    const total = 250; // three batches
    const raws = [];
    for (let n = 0; n < total; n += 1) raws.push(await rawMail({ from: `filer${n}@example.com`, subject: `Request ${n}` }));
    await dovecot.appendMany(raws);
    const client = imapClient(settingsOf(dovecot), false);
    await client.connect();
    // The server refuses the second batch's \Seen: imapflow answers such a refusal with false.
    const flag = client.messageFlagsAdd.bind(client);
    let calls = 0;
    client.messageFlagsAdd = (async (...args: Parameters<ImapFlow['messageFlagsAdd']>) => {
      calls += 1;
      return calls === 2 ? false : flag(...args);
    }) as ImapFlow['messageFlagsAdd'];
    const uids = (await dovecot.listMessages()).map((m) => m.uid).sort((a, b) => a - b);
    try {
      await assert.rejects(
        pollMailbox(client, 'INBOX', t.db, t.services.mail.intake, logger),
        new RegExp(`did not mark messages ${uids[100]}-${uids[199]} as read`),
      );
    } finally {
      await client.logout().catch(() => undefined);
    }
    const checkpoint = await t.db('mail_checkpoints').where({ mailbox: 'INBOX' }).first();
    assert.ok(!checkpoint || checkpoint.last_uid <= uids[99], `checkpoint at ${checkpoint?.last_uid}`);
    assert.equal((await dovecot.listMessages()).filter((m) => m.flags.includes('\\Seen')).length, 100);

    await poll();
    for (const m of await dovecot.listMessages()) assert.ok(m.flags.includes('\\Seen'), `uid ${m.uid} is marked read`);
    assert.equal((await t.db('mail_checkpoints').where({ mailbox: 'INBOX' }).first()).last_uid, uids[total - 1]);
    assert.equal(await count(t.db, 'tickets'), total);
    assert.equal(await count(t.db, 'inbound_mail'), total);
  });

  it('sets aside a message it cannot process and goes on with the ones after it', async () => {
    await dovecot.append(await rawMail({ subject: 'Before' }));
    await dovecot.append(`To: ${MAIL_FROM}\r\nSubject: no sender\r\nMessage-ID: <nosender@x.example>\r\n\r\nHello\r\n`);
    await dovecot.append(await rawMail({ subject: 'After' }));
    assert.deepEqual(await poll(), { fetched: 3, processed: 2, quarantined: 1 });
    assert.deepEqual((await t.db('tickets').orderBy('id').pluck('subject')) as string[], ['Before', 'After']);
    assert.equal(await count(t.db, 'inbound_mail', { status: 'quarantined' }), 1);
    for (const m of await dovecot.listMessages()) assert.ok(m.flags.includes('\\Seen'));
  });

  it('reads the mailbox again after a UIDVALIDITY change without creating duplicates', async () => {
    const raws = [await rawMail({ subject: 'One' }), await rawMail({ subject: 'Two' })];
    for (const raw of raws) await dovecot.append(raw);
    await poll();
    const before = await dovecot.uidValidity();
    // The server renumbers the mailbox (a restore, a migration): same messages, new UIDVALIDITY.
    const after = await dovecot.recreateMailbox('INBOX');
    assert.notEqual(after, before);
    for (const raw of raws) await dovecot.append(raw);
    await dovecot.append(await rawMail({ subject: 'Three' }));
    assert.deepEqual(await poll(), { fetched: 3, processed: 1, quarantined: 0 });
    assert.deepEqual((await t.db('tickets').orderBy('id').pluck('subject')) as string[], ['One', 'Two', 'Three']);
  });

  it('picks up new mail while it waits, through IDLE', async () => {
    const watcher = watchMailbox(settingsOf(dovecot), t.db, t.services.mail.intake, logger, { pollMs: 60_000 });
    try {
      await waitUntil(async () => (await t.db('mail_checkpoints').first()) !== undefined);
      await dovecot.append(await rawMail({ subject: 'Arrived while idling' }));
      // Well under the 60 s polling interval: only IDLE can have woken it.
      await waitUntil(async () => (await count(t.db, 'tickets')) === 1, 10_000);
    } finally {
      await watcher.stop();
    }
  });
});

describe('IMAP intake killed mid-batch', function () {
  this.timeout(300_000);
  let dovecot: DovecotServer;
  let smtp: SmtpReceiver;
  let t: TestApp;

  before(async () => {
    [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpReceiver()]);
    t = await buildTestApp({ env: { MAIL_FROM } });
  });
  after(async () => {
    await t.close();
    await Promise.all([dovecot.stop(), smtp.stop()]);
  });

  /** `helpdesk mail:poll --once` in its own process, on the test's database file. */
  function pollProcess(): ChildProcess {
    return spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), 'mail:poll', '--once'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...dovecot.mailEnv(),
        ...smtp.mailEnv(),
        MAIL_FROM,
        DATABASE_URL: t.config.env.DATABASE_URL,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  it('loses nothing and duplicates nothing when the poller is killed at any point and started again', async () => {
    const total = 300;
    const raws = [];
    // Distinct senders: one sender would reach the cap on automatic mail after ten acknowledgements.
    for (let n = 0; n < total; n += 1)
      raws.push(await rawMail({ from: `filer${n}@example.com`, subject: `Request number ${n}` }));
    await dovecot.appendMany(raws);
    // A separate connection to the same file, as staff pages would have.
    const db = openDatabase(t.config.env.DATABASE_URL);
    try {
      // Kill it three times, each after a little more has been stored, then let a last run finish.
      for (const threshold of [20, 110, 190]) {
        const child = pollProcess();
        await waitUntil(async () => (await count(db, 'inbound_mail').catch(() => 0)) >= threshold, 120_000);
        child.kill('SIGKILL');
        await exited(child);
      }
      const stored = await count(db, 'inbound_mail');
      assert.ok(stored < total, `the kills happened mid-run (${stored} of ${total} stored)`);
      const last = pollProcess();
      let output = '';
      last.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      assert.equal(await exited(last), 0, output);

      assert.equal(await count(db, 'inbound_mail'), total);
      assert.equal(await count(db, 'inbound_mail', { status: 'processed' }), total);
      assert.equal(await count(db, 'tickets'), total);
      const subjects = (await db('tickets').pluck('subject')) as string[];
      assert.equal(new Set(subjects).size, total, 'every message became exactly one ticket');
      const firstMessages = (await db('ticket_messages').whereNotNull('message_id').pluck('message_id')) as string[];
      assert.equal(new Set(firstMessages).size, firstMessages.length);
      // One acknowledgement queued per ticket, however many times the work was repeated.
      assert.equal(await count(db, 'outbox', { kind: 'acknowledgement' }), total);
      assert.equal(await count(db, 'outbox', { status: 'sent' }), total);
      const delivered = new Set(smtp.messages.map((m) => /^Message-ID: (.+)$/im.exec(m.raw.toString('latin1'))?.[1].trim()));
      assert.equal(delivered.size, total, 'every acknowledgement reached the SMTP server');
      for (const m of await dovecot.listMessages()) assert.ok(m.flags.includes('\\Seen'), `uid ${m.uid} is marked read`);
      const checkpoint = await db('mail_checkpoints').first();
      assert.equal(checkpoint.last_uid, total);
    } finally {
      await db.destroy();
    }
  });
});

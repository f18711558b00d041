import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { openDatabase, type Db } from '../../src/db/knex';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { freePort, startDovecot, type DovecotServer } from '../helpers/mail-servers';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { isListening, startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';

describe('HELPDESK_ROLES', () => {
  const base = { SESSION_SECRET: 's'.repeat(32), DATABASE_URL: 'sqlite:///tmp/helpdesk-roles-config.sqlite3' };

  it('runs every role by default, or the roles listed, in any order and spacing', () => {
    assert.deepEqual(loadConfig(base).env.HELPDESK_ROLES, ['web', 'mail', 'jobs']);
    assert.deepEqual(loadConfig({ ...base, HELPDESK_ROLES: 'web' }).env.HELPDESK_ROLES, ['web']);
    assert.deepEqual(loadConfig({ ...base, HELPDESK_ROLES: ' jobs , mail,jobs ' }).env.HELPDESK_ROLES, ['jobs', 'mail']);
  });

  it('refuses an unknown role or an empty list, naming the variable and the value', () => {
    for (const [value, named] of [
      ['web,email', /"email"/],
      [' , ', /at least one/],
    ] as const) {
      assert.throws(
        () => loadConfig({ ...base, HELPDESK_ROLES: value }),
        (error: unknown) => error instanceof ConfigError && /HELPDESK_ROLES: /.test(error.message) && named.test(error.message),
      );
    }
  });
});

describe('a process runs only its roles', function () {
  this.timeout(180_000);
  let dovecot: DovecotServer;
  let dir: string;
  let db: Db;
  let database: TestDatabase;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];

  before(async () => {
    dovecot = await startDovecot();
  });
  after(() => dovecot.stop());
  beforeEach(async () => {
    await dovecot.recreateMailbox('INBOX');
    dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-roles-'));
    database = await createTestDatabase(dir);
    db = openDatabase(database.url);
    env = { ...dovecot.mailEnv(), MAIL_FROM, DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(32) };
  });
  afterEach(async () => {
    const stopped = servers.splice(0);
    for (const server of stopped) server.kill();
    await Promise.all(stopped.map((server) => server.exited));
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (extra: Record<string, string>) => {
    const server = startServerProcess({ ...env, ...extra });
    servers.push(server);
    return server;
  };
  const stored = async () => Number(((await db('inbound_mail').count({ n: '*' }).first()) as { n: number }).n);

  it('refuses to start with a bad HELPDESK_ROLES, naming it', async () => {
    const server = start({ HELPDESK_ROLES: 'web,email', PORT: String(await freePort()) });
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /HELPDESK_ROLES: .*"email"/);
  });

  it('web alone answers HTTP and leaves the mailbox alone; mail alone takes the mail and does not listen', async () => {
    for (let n = 0; n < 3; n += 1)
      await dovecot.append(await rawMail({ from: `filer${n}@example.com`, subject: `Request ${n}` }));
    const webPort = await freePort();
    const web = start({ HELPDESK_ROLES: 'web', PORT: String(webPort) });
    await web.waitForLog(/listening/);
    const ready = (await (await fetch(`http://127.0.0.1:${webPort}/readyz`)).json()) as { checks: { mail: string } };
    assert.equal(ready.checks.mail, 'not_this_process');
    // Long enough for a process that polls to have stored the three messages (it does so in well under a second).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await stored(), 0, 'a web process does not poll the mailbox');
    assert.ok((await dovecot.listMessages()).every((m) => !m.flags.includes('\\Seen')));
    assert.doesNotMatch(web.output(), /mail intake: watching|background jobs: on/);

    const mailPort = await freePort();
    const mail = start({ HELPDESK_ROLES: 'mail', PORT: String(mailPort) });
    await waitUntil(async () => (await stored()) === 3, 60_000, 'the mail process to store the messages');
    await waitUntil(async () => (await dovecot.listMessages()).every((m) => m.flags.includes('\\Seen')), 30_000, '\\Seen');
    assert.equal(await isListening(mailPort), false, 'a mail process does not listen');
    assert.doesNotMatch(mail.output(), /background jobs: on/);

    web.child.kill('SIGTERM');
    mail.child.kill('SIGTERM');
    assert.equal(await web.exited, 0, web.output());
    assert.equal(await mail.exited, 0, mail.output());
  });

  it('jobs alone schedules the jobs, and neither listens nor polls the mailbox', async () => {
    await dovecot.append(await rawMail({ subject: 'Not for the jobs process' }));
    const port = await freePort();
    const jobs = start({ HELPDESK_ROLES: 'jobs', PORT: String(port) });
    await jobs.waitForLog(/background jobs: on/);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(await isListening(port), false, 'a jobs process does not listen');
    assert.equal(await stored(), 0, 'a jobs process does not poll the mailbox');
    jobs.child.kill('SIGTERM');
    assert.equal(await jobs.exited, 0, jobs.output());
  });
});

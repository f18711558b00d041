import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrationConfig, openDatabase } from '../../src/db/knex';
import { freePort, startDovecot, startSmtpReceiver, type DovecotServer, type SmtpReceiver } from '../helpers/mail-servers';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');

/** `helpdesk doctor` through the real command line, with `env` on top of a clean environment. */
function doctor(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), 'doctor'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The line of one check: `ok    Database: …`. */
const line = (stdout: string, check: string) =>
  stdout.split('\n').find((l) => l.includes(` ${check}: `)) ?? `(no line for ${check})`;

describe('helpdesk doctor', function () {
  this.timeout(120_000);
  let dir: string;
  let dovecot: DovecotServer;
  let smtp: SmtpReceiver;
  let database: TestDatabase;
  let good: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
    [dovecot, smtp, database] = await Promise.all([startDovecot(), startSmtpReceiver(), createTestDatabase(dir)]);
    good = {
      DATABASE_URL: database.url,
      COURT_PROFILE: path.join(ROOT, 'profiles', 'wawd.json'),
      PUBLIC_URL: 'https://helpdesk.example.gov',
      MAIL_FROM: 'helpdesk@example.gov',
      ...dovecot.mailEnv(),
      ...smtp.mailEnv(),
    };
  });
  after(async () => {
    await Promise.all([dovecot?.stop(), smtp?.stop(), database?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says all is well, and exits 0, when every part of a good set-up answers', async () => {
    const run = await doctor(good);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const check of [
      'Configuration',
      'Court profile',
      'Database',
      'Incoming mail (IMAP)',
      'Outgoing mail (SMTP)',
      'FAQ content',
    ])
      assert.match(line(run.stdout, check), /^ok /, `${check} is ok:\n${run.stdout}`);
    assert.match(line(run.stdout, 'Court profile'), /Western District of Washington/);
    assert.match(
      line(run.stdout, 'Incoming mail (IMAP)'),
      new RegExp(`logged in to 127\\.0\\.0\\.1:${dovecot.port} as ${dovecot.user}`),
    );
    assert.match(run.stdout, /All is well\./);
  });

  it('names a wrong IMAP password, tried against the real server, and exits 1', async () => {
    const run = await doctor({ ...good, IMAP_PASSWORD: 'not-the-password' });
    assert.equal(run.status, 1, run.stdout);
    assert.match(line(run.stdout, 'Incoming mail (IMAP)'), /^FAIL .*refused the user name or password/);
    assert.match(run.stdout, /To fix: Check IMAP_USER and IMAP_PASSWORD/);
    // Only that check fails; the rest are still examined and reported.
    assert.match(line(run.stdout, 'Database'), /^ok /);
    assert.match(line(run.stdout, 'Outgoing mail (SMTP)'), /^ok /);
    assert.doesNotMatch(run.stdout + run.stderr, /not-the-password/, 'the password is never printed');
  });

  it('names a mail server that does not answer', async () => {
    const run = await doctor({ ...good, SMTP_PORT: String(await freePort()) });
    assert.equal(run.status, 1, run.stdout);
    assert.match(line(run.stdout, 'Outgoing mail (SMTP)'), /^FAIL .*(nothing answers|did not answer)/);
  });

  it('names a court profile that cannot be read, and goes on with the other checks', async () => {
    const broken = path.join(dir, 'broken-profile.json');
    writeFileSync(broken, '{ "court": { "name": "Unfinished" ');
    const run = await doctor({ ...good, COURT_PROFILE: broken });
    assert.equal(run.status, 1, run.stdout);
    assert.match(
      line(run.stdout, 'Court profile'),
      new RegExp(`^FAIL .*${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used`),
    );
    assert.match(line(run.stdout, 'Database'), /^ok /);

    const missing = await doctor({ ...good, COURT_PROFILE: path.join(dir, 'no-such-profile.yaml') });
    assert.equal(missing.status, 1);
    assert.match(line(missing.stdout, 'Court profile'), /^FAIL /);
  });

  it('names pending migrations, and exits 1', async () => {
    // An empty database (on SQLite, a new file) given only the first migration: every later one is pending.
    const target = await createTestDatabase(mkdtempSync(path.join(dir, 'partial-')), { migrated: false });
    const db = openDatabase(target.url);
    try {
      await db.migrate.up(migrationConfig);
    } finally {
      await db.destroy();
    }
    try {
      const run = await doctor({ ...good, DATABASE_URL: target.url });
      assert.equal(run.status, 1, run.stdout);
      assert.match(line(run.stdout, 'Database migrations'), /^FAIL +Database migrations: \d+ not applied yet/);
      assert.match(run.stdout, /npx helpdesk db:migrate/);
    } finally {
      await target.drop();
    }
  });

  it('names a wrong environment variable and checks nothing that would read it', async () => {
    const run = await doctor({ ...good, PORT: 'eighty' });
    assert.equal(run.status, 1);
    assert.match(line(run.stdout, 'Configuration'), /^FAIL .*PORT/);
    assert.doesNotMatch(run.stdout, /Incoming mail/);
  });
});

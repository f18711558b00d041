import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, unopenableDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');
const COMMANDS = [
  'user:add',
  'tickets:export',
  'mail:poll',
  'mail:import',
  'mail:inspect',
  'jobs:run',
  'faq:check',
  'db:migrate',
  'db:rollback',
  'backup',
];

// Each command loads its own modules when it runs: every one is run here through the real command
// line (the mail commands' work is tested in test/mail), so that a command whose module is misnamed
// fails a test and not an administrator.
describe('the helpdesk command line', function () {
  this.timeout(60_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let database: TestDatabase;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    database = await createTestDatabase(dir, { migrated: false });
    env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const helpdesk = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      input,
      // A command that does not end by itself fails the test rather than stalling it.
      timeout: 30_000,
    });
    return { status: run.status, signal: run.signal, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };

  it('lists every command with --help, and says so when the command is missing or unknown', () => {
    const help = helpdesk(['--help']);
    assert.equal(help.status, 0);
    for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    const none = helpdesk([]);
    assert.equal(none.status, 2);
    assert.match(none.stdout, /^Usage: npx helpdesk <command>/);
    const unknown = helpdesk(['tickets:delete']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^Unknown command "tickets:delete"/);
  });

  it('migrates a new database, then finds nothing to do, and rolls every batch back', () => {
    const first = helpdesk(['db:migrate']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^Batch 1: applied \d+_create_tickets, /);
    const again = helpdesk(['db:migrate']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, 'Already up to date.\n');
    const rollback = helpdesk(['db:rollback', '--all']);
    assert.equal(rollback.status, 0, rollback.stderr);
    assert.match(rollback.stdout, /rolled back .*create_tickets/);
  });

  it('adds a staff account once, and refuses a second with the same address or a short password', () => {
    // On a new database too: user:add prepares it, as the server does at start.
    assert.equal(helpdesk(['db:rollback', '--all']).status, 0);
    const args = ['user:add', '--email', 'Clerk@Court.example', '--name', 'Pat Clerk', '--role', 'agent', '--password-stdin'];
    const added = helpdesk(args, 'a long enough password\n');
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /^Added agent clerk@court\.example \(id \d+\)\.\n$/);
    const twice = helpdesk(args, 'a long enough password\n');
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /already exists/);
    const short = helpdesk([...args.slice(0, 2), 'other@court.example', ...args.slice(3)], 'short\n');
    assert.equal(short.status, 2);
    assert.match(short.stderr, /^--password: /m);
  });

  it('runs a job by name, and names the jobs when given none', () => {
    const none = helpdesk(['jobs:run']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /Jobs: callback-reminders, /);
    const ran = helpdesk(['jobs:run', 'callback-expiry']);
    assert.equal(ran.status, 0, ran.stderr);
    assert.deepEqual(
      ran.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { job: string; status: string }).job),
      ['callback-expiry'],
    );
  });

  it('checks the FAQ content', () => {
    const check = helpdesk(['faq:check']);
    assert.equal(check.status, 0, check.stdout);
    assert.match(check.stdout, /no problems\.\n$/);
  });

  it('refuses a bad environment before any work, naming the variable, whatever the command', () => {
    for (const command of COMMANDS.filter((c) => c !== 'faq:check')) {
      const run = helpdesk([command], undefined, { IMAP_PORT: 'not a port' });
      assert.equal(run.status, 2, `${command}: ${run.stderr}`);
      assert.match(run.stderr, /^Invalid environment:\n {2}IMAP_PORT: /, command);
    }
  });

  it('mail:poll says mail intake is off when IMAP is not configured', () => {
    const run = helpdesk(['mail:poll', '--once']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^Mail intake is off: set IMAP_HOST/);
  });

  it('mail:poll ends by itself, with the error, when the database cannot be opened after its reader started', () => {
    const unopenable = unopenableDatabase(dir, writeFileSync);
    const run = helpdesk(['mail:poll', '--once'], undefined, {
      DATABASE_URL: unopenable.url,
      IMAP_HOST: '127.0.0.1',
      IMAP_PORT: '9',
      IMAP_USER: 'helpdesk',
      IMAP_PASSWORD: 'secret',
      MAIL_FROM: 'helpdesk@court.example',
    });
    assert.equal(run.signal, null, 'it ended by itself');
    assert.equal(run.status, 1);
    assert.match(run.stderr, unopenable.error);
  });
});

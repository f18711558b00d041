import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');

describe('helpdesk user:add and the four roles', function () {
  this.timeout(60_000);
  let dir: string;
  let database: TestDatabase;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-roles-'));
    database = await createTestDatabase(dir);
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const helpdesk = (args: string[], input?: string) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
      input,
      timeout: 30_000,
    });
    return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };
  const add = (email: string, role: string, password = 'a long enough password\n') =>
    helpdesk(['user:add', '--email', email, '--name', 'Pat Clerk', '--role', role, '--password-stdin'], password);

  it('adds a supervisor and an editor, and records each in the audit log as done from the command line', async () => {
    const supervisor = add('super@court.example', 'supervisor');
    assert.equal(supervisor.status, 0, supervisor.stderr);
    assert.match(supervisor.stdout, /^Added supervisor super@court\.example \(id \d+\)\.\n$/);
    assert.equal(add('editor@court.example', 'editor').status, 0);
    const db = openDatabase(database.url);
    try {
      const rows = await db('staff_users').orderBy('id').select('email', 'role');
      assert.deepEqual(rows, [
        { email: 'super@court.example', role: 'supervisor' },
        { email: 'editor@court.example', role: 'editor' },
      ]);
      const audit = await db('audit_log').where({ action: 'staff.added' }).orderBy('id');
      assert.deepEqual(
        audit.map((r: { actor: string; details: string }) => [r.actor, JSON.parse(r.details)]),
        [
          ['cli', { role: 'supervisor' }],
          ['cli', { role: 'editor' }],
        ],
      );
    } finally {
      await db.destroy();
    }
  });

  it('refuses a role that does not exist, naming it and the four that do, before asking for a password', () => {
    const run = add('boss@court.example', 'boss', '');
    assert.equal(run.status, 2);
    assert.equal(run.stderr, '--role: "boss" is not a role. Choose a role: agent, editor, supervisor, admin.\n');
    assert.equal(run.stdout, '');
  });

  it('refuses a common password without printing it', () => {
    const run = add('common@court.example', 'agent', 'iloveyou2024!\n');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--password: This password is too easy to guess/);
    assert.doesNotMatch(run.stderr + run.stdout, /iloveyou/);
  });
});

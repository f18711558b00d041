import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase, type Db } from '../../src/db/knex';
import { createTicketService } from '../../src/tickets/tickets.service';
import { testScopeRules } from '../helpers/app';
import { ticketInput } from '../helpers/factories';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');

// Through the real command line: audit:export, retention:run (a dry run, then the real one), and the
// audit entries that user:add and tickets:export --unmasked leave.
describe('the command line: audit:export and retention:run', function () {
  this.timeout(90_000);
  let dir: string;
  let database: TestDatabase;
  let db: Db;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-audit-'));
    database = await createTestDatabase(dir);
    db = openDatabase(database.url);
    const profile = path.join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ retention: { closedTicketDays: 30, privateOriginalDays: 60, rawMailDays: null } }));
    env = { ...process.env, DATABASE_URL: database.url, COURT_PROFILE: profile, LOG_LEVEL: 'silent' };
  });
  after(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const helpdesk = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      input,
      timeout: 60_000,
    });
    return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const exported = () => {
    const run = helpdesk(['audit:export']);
    assert.equal(run.status, 0, run.stderr);
    return lines(run.stdout);
  };

  it('records user:add and tickets:export --unmasked, and exports the log as JSON lines, oldest first', () => {
    const added = helpdesk(
      ['user:add', '--email', 'clerk@court.example', '--name', 'Pat Clerk', '--role', 'admin', '--password-stdin'],
      'a long enough password\n',
    );
    assert.equal(added.status, 0, added.stderr);
    assert.equal(helpdesk(['tickets:export']).status, 0);
    assert.deepEqual(
      exported().map((e) => e.action),
      ['staff.added'],
      'a masked export is not recorded',
    );
    const unmasked = helpdesk(['tickets:export', '--unmasked']);
    assert.equal(unmasked.status, 0, unmasked.stderr);

    const entries = exported();
    assert.deepEqual(
      entries.map((e) => [e.actor, e.action]),
      [
        ['cli', 'staff.added'],
        ['cli', 'tickets.exported_unmasked'],
      ],
    );
    assert.deepEqual(Object.keys(entries[0]).sort(), [
      'action',
      'actor',
      'actorName',
      'address',
      'at',
      'description',
      'details',
      'id',
      'subject',
    ]);
    assert.equal(entries[0].description, 'Added a staff account');
    assert.deepEqual(entries[0].subject, { type: 'staff_user', id: String((entries[0].subject as { id: string }).id) });
    assert.ok(!JSON.stringify(entries).includes('a long enough password'));

    assert.deepEqual(lines(helpdesk(['audit:export', '--since', '2999-01-01']).stdout), []);
    assert.equal(lines(helpdesk(['audit:export', '--since', '2000-01-01']).stdout).length, 2);
    const bad = helpdesk(['audit:export', '--since', 'last week']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since/);
  });

  it('lists with --dry-run exactly what the real run then deletes, and records the run', async () => {
    const tickets = createTicketService({
      db,
      profile: loadConfig({ DATABASE_URL: database.url }).profile,
      scopeRules: testScopeRules(),
    });
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    for (let i = 0; i < 3; i += 1) {
      const { ticket } = await tickets.create(
        ticketInput({ subject: `Old ${i}`, body: `SSN 123-45-678${i}, upload fails.` }),
        'web',
      );
      await db('tickets')
        .where({ id: ticket.id })
        .update({ status: i < 2 ? 'closed' : 'open', updated_at: old });
      await db('private_originals').where({ ticket_id: ticket.id }).update({ created_at: old });
    }

    const dry = helpdesk(['retention:run', '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    const listed = lines(dry.stdout);
    assert.equal(Number((await db('tickets').count({ n: '*' }))[0].n), 3, 'a dry run deletes nothing');
    const real = helpdesk(['retention:run']);
    assert.equal(real.status, 0, real.stderr);
    const deleted = lines(real.stdout);

    const summary = (rows: Array<Record<string, unknown>>) => rows[rows.length - 1];
    assert.equal(summary(listed).dryRun, true);
    assert.equal(summary(deleted).dryRun, false);
    assert.deepEqual(
      deleted.map(({ dryRun, ...rest }) => (dryRun === undefined ? rest : { ...rest, dryRun: 'either' })),
      listed.map(({ dryRun, ...rest }) => (dryRun === undefined ? rest : { ...rest, dryRun: 'either' })),
    );
    assert.deepEqual(summary(deleted).summary, { privateOriginals: 3, callbackOriginals: 0, rawMail: 0, tickets: 2 });
    assert.deepEqual(
      deleted.filter((line) => line.delete).map((line) => line.delete),
      ['private_original', 'private_original', 'private_original', 'ticket', 'ticket'],
    );
    assert.equal(Number((await db('tickets').count({ n: '*' }))[0].n), 1);

    const runs = exported().filter((e) => e.action === 'retention.run');
    assert.equal(runs.length, 1, 'only the real run is recorded');
    assert.equal(runs[0].actor, 'cli');
    assert.deepEqual((runs[0].details as Record<string, number>).tickets, 2);
  });

  it('refuses a retention period of -1 in the court profile, naming the key', () => {
    const profile = path.join(dir, 'bad.json');
    writeFileSync(profile, JSON.stringify({ retention: { rawMailDays: -1 } }));
    const run = helpdesk(['retention:run', '--dry-run'], undefined, { COURT_PROFILE: profile });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /retention\.rawMailDays: must be 1 day or more/);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');

// The commands run through the real command line, on the real clock: times are given relative to now.
describe('outage:start and outage:end on the command line', function () {
  this.timeout(60_000);
  let dir: string;
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-outage-'));
    database = await createTestDatabase(dir);
    db = openDatabase(database.url);
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const helpdesk = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
      timeout: 30_000,
    });
    return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
  const count = async (table: string) => Number(((await db(table).count({ n: '*' })) as Array<{ n: number }>)[0].n);
  const stored = async () => ({ outages: await count('outages'), events: await count('outage_events') });

  it('declares an outage, refuses a second of the same scope and bad input, storing nothing for them', async () => {
    const help = helpdesk('--help');
    assert.match(help.stdout, /^ {2}outage:start /m);
    assert.match(help.stdout, /^ {2}outage:end /m);

    const started = helpdesk('outage:start', '--scope', 'cmecf', '--message', 'CM/ECF is down.', '--at', minutesAgo(20));
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, /^Declared outage \d+ of CM\/ECF \(electronic filing\) \(cmecf\), since .+\.\n$/);
    const row = (await db('outages').first()) as { scope: string; declared_by: string; message: string };
    assert.deepEqual([row.scope, row.declared_by, row.message], ['cmecf', 'cli', 'CM/ECF is down.']);
    const before = await stored();

    const again = helpdesk('outage:start', '--scope', 'cmecf', '--message', 'Still down.');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already declared: update or end that one instead/);

    const refusals: Array<[string[], RegExp]> = [
      [
        ['--scope', 'judge', '--message', 'x'],
        /^--scope: Choose what is affected: cmecf, pacer, email-notices, helpdesk-phone, other\./,
      ],
      [['--scope', 'pacer', '--message', ' '], /^--message: Please write the public message\./],
      [
        ['--scope', 'pacer', '--message', 'x', '--at', new Date(Date.now() + 3_600_000).toISOString()],
        /^--at: The start cannot be in the future/,
      ],
      [['--scope', 'pacer', '--message', 'x', '--at', 'noon'], /^--at: Write the time as a date and time/],
    ];
    for (const [args, message] of refusals) {
      const run = helpdesk('outage:start', ...args);
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, message);
    }
    const usage = helpdesk('outage:start', '--scope', 'pacer');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /needs --scope S and --message M/);
    assert.deepEqual(await stored(), before);
  });

  it('ends the only active outage without --scope, and asks which when several are on', async () => {
    const none = helpdesk('outage:end');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No outage is active/);

    assert.equal(helpdesk('outage:start', '--scope', 'cmecf', '--message', 'CM/ECF down.', '--at', minutesAgo(30)).status, 0);
    assert.equal(helpdesk('outage:start', '--scope', 'pacer', '--message', 'PACER down.', '--at', minutesAgo(10)).status, 0);
    const which = helpdesk('outage:end');
    assert.equal(which.status, 2);
    assert.match(which.stderr, /2 outages are active; choose which to end:\n {2}--scope cmecf .*\n {2}--scope pacer /);

    const tooEarly = helpdesk('outage:end', '--scope', 'pacer', '--at', minutesAgo(15));
    assert.equal(tooEarly.status, 1);
    assert.match(tooEarly.stderr, /^--at: The end must come after the start/);
    const ended = helpdesk('outage:end', '--scope', 'pacer', '--at', minutesAgo(5));
    assert.equal(ended.status, 0, ended.stderr);
    assert.match(ended.stdout, /^Ended outage \d+ of PACER \(viewing case records\) \(pacer\) at /);

    const last = helpdesk('outage:end');
    assert.equal(last.status, 0, last.stderr);
    assert.match(last.stdout, /^Ended outage \d+ of CM\/ECF/);
    const kinds = (await db('outage_events').orderBy('id').select('kind', 'actor')) as Array<{ kind: string; actor: string }>;
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['declared', 'declared', 'ended', 'ended'],
    );
    assert.ok(kinds.every((k) => k.actor === 'cli'));
    const noScope = helpdesk('outage:end', '--scope', 'pacer');
    assert.equal(noScope.status, 1);
    assert.match(noScope.stderr, /No outage of "PACER \(viewing case records\)" is declared now/);
  });
});

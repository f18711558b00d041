import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { formatDuration, formatTimeLeft, startProgress, type ProgressStream } from '../../src/cli/progress';
import { writeOutput } from '../../src/cli/write-output';
import { openDatabase } from '../../src/db/knex';
import { insertNewTickets, type NewTicketRecord } from '../../src/tickets/tickets.repository';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');
const TICKETS = 20_000;
const CLI = [process.execPath, '--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts')];

/** Stores `total` plain web tickets through the repository's bulk insert, a thousand a transaction. */
async function seedTickets(url: string, total: number): Promise<void> {
  const db = openDatabase(url);
  try {
    const start = Date.parse('2025-01-01T16:00:00Z');
    for (let done = 0; done < total; done += 1000) {
      const records: NewTicketRecord[] = [];
      for (let i = done; i < Math.min(total, done + 1000); i += 1) {
        const at = new Date(start + i * 60_000).toISOString();
        records.push({
          referenceYear: 2025,
          channel: 'web',
          subject: `Cannot upload exhibit ${i}`,
          requesterName: `Filer ${i % 997}`,
          requesterEmail: `filer${i % 997}@example.com`,
          requesterPhone: null,
          statusTokenHash: randomBytes(32).toString('hex'),
          flags: [],
          status: 'new',
          policyReasons: [],
          originals: {},
          createdAt: at,
          firstResponseDueAt: at,
          firstMessage: {
            direction: 'in',
            author: 'requester',
            messageId: null,
            bodyText: `The upload of exhibit ${i} fails.`,
            createdAt: at,
          },
          caseNumbers: [],
        });
      }
      await db.transaction((trx) => insertNewTickets(trx, records));
    }
  } finally {
    await db.destroy();
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to its end, collecting what it writes; a run that does not end fails the test. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: Date.now() - started }),
    );
  });
}

/** The references of the exported tickets, failing on any line that is not a ticket in JSON. */
function exportedReferences(jsonLines: string): string[] {
  assert.ok(jsonLines.endsWith('\n'), 'the export ends with a whole line');
  return jsonLines
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const ticket = JSON.parse(line) as { reference?: unknown; messages?: unknown };
      assert.equal(typeof ticket.reference, 'string', line);
      assert.ok(Array.isArray(ticket.messages), line);
      return ticket.reference as string;
    });
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

describe('progress of a long command', function () {
  // Seeding and two exports of 20,000 tickets.
  this.timeout(180_000);
  let dir: string;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-progress-'));
    database = await createTestDatabase(dir);
    await seedTickets(database.url, TICKETS);
    // CI turns the bar off; the runs here say for themselves whether they are on a terminal.
    env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', CI: '' };
    delete env.CI;
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tickets:export on a terminal shows count, rate and time left on standard error, and prints only tickets', async () => {
    const file = path.join(dir, 'out.jsonl');
    // script(1) gives the command a pseudo-terminal: standard error goes to it (and script prints
    // what it shows), standard output to the file.
    const line = `${CLI.map(quote).join(' ')} tickets:export > ${quote(file)}`;
    const shown = await run('script', ['-qec', line, '/dev/null'], env);
    assert.equal(shown.status, 0, shown.stdout);
    // A bar with the count, the time left and the rate, redrawn in place, then the summary.
    assert.match(shown.stdout, /Exporting tickets [█░]{20} \d[\d,]*\/20,000 · \d+ (s|min) left · \d[\d,]*\/s/);
    assert.match(shown.stdout, /Exported 20,000 tickets in \d[\d. a-z]*\.\r?\n/);
    assert.ok(!shown.stdout.includes('"reference"'), 'no ticket on the terminal');
    const references = exportedReferences(readFileSync(file, 'utf8'));
    assert.equal(references.length, TICKETS);
    assert.equal(new Set(references).size, TICKETS);
  });

  it('tickets:export into a pipe prints the same tickets and no progress at all', async () => {
    const piped = await run(CLI[0], [...CLI.slice(1), 'tickets:export'], env);
    assert.equal(piped.status, 0, piped.stderr);
    const references = exportedReferences(piped.stdout);
    assert.equal(references.length, TICKETS);
    assert.equal(new Set(references).size, TICKETS);
    // Off a terminal a plain line comes every 30 s of a long run (see below): this one says nothing.
    assert.ok(piped.ms < 30_000, `the export took ${piped.ms} ms`);
    assert.equal(piped.stderr, '');
  });
});

/** A stand-in for standard error that keeps what is written to it. */
function fakeStderr(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 100,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('startProgress', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  describe('off a terminal', () => {
    it('says nothing at all about a run shorter than 30 s, even at the end', () => {
      const stream = fakeStderr(false);
      const progress = startProgress({ label: 'Exporting tickets', total: 5000, stream, now });
      for (let i = 0; i < 5000; i += 1) {
        clock += 5;
        progress.tick();
      }
      progress.stop('Exported 5,000 tickets');
      assert.equal(stream.text, '');
    });

    it('prints a plain line every 30 s of a long run, with count, rate and time left, then the summary', () => {
      const stream = fakeStderr(false);
      const progress = startProgress({ label: 'Exporting tickets', total: 100_000, stream, now });
      for (let i = 0; i < 70_000; i += 1) {
        clock += 1; // 1,000 a second
        progress.tick();
      }
      progress.stop('Exported 70,000 tickets');
      assert.equal(
        stream.text,
        [
          'Exporting tickets: 30,000 of 100,000, 70 s left, 1,000 a second',
          'Exporting tickets: 60,000 of 100,000, 40 s left, 1,000 a second',
          'Exported 70,000 tickets in 1 min 10 s.',
          '',
        ].join('\n'),
      );
    });

    it('counts without a total, passes notes on, and says how far it got when stopped without a summary, once', () => {
      const stream = fakeStderr(false);
      const progress = startProgress({ label: 'Processing mail', stream, now });
      progress.note('m1.eml: no such file');
      clock += 31_000;
      progress.tick(310);
      progress.stop();
      progress.stop('Processed 310 messages');
      assert.equal(stream.text, 'm1.eml: no such file\nProcessing mail: 310, 10 a second\nProcessing mail: stopped after 310.\n');
    });
  });

  describe('on a terminal', () => {
    let ci: string | undefined;
    before(() => {
      ci = process.env.CI;
      delete process.env.CI;
    });
    after(() => {
      if (ci !== undefined) process.env.CI = ci;
    });

    it('draws a bar with count, time left and rate, then replaces it with the summary', () => {
      const stream = fakeStderr(true);
      const progress = startProgress({ label: 'Exporting tickets', total: 200, stream, now });
      try {
        clock += 500;
        progress.tick(50);
        clock += 500;
        // Drawn as it starts and once more as it stops (in between, on cli-progress's timer).
        progress.setTotal(300);
      } finally {
        progress.stop('Exported 300 tickets');
      }
      assert.match(stream.text, /Exporting tickets ░{20} 0\/200/);
      assert.match(stream.text, /Exporting tickets █{3}░{17} 50\/300 · 5 s left · 50\/s/);
      assert.match(stream.text, /Exported 300 tickets in 1 s\.\n$/);
    });

    it('leaves the terminal as it found it when the work fails under the bar', () => {
      const stream = fakeStderr(true);
      assert.throws(() => {
        const progress = startProgress({ label: 'Exporting tickets', total: 200, stream, now });
        try {
          progress.tick(20);
          throw new Error('the database went away');
        } finally {
          progress.stop();
        }
      }, /database went away/);
      // Cursor never hidden, line wrapping never turned off; the last line says where it stopped.
      assert.ok(!stream.text.includes('\u001b[?25l') && !stream.text.includes('\u001b[?7l'), JSON.stringify(stream.text));
      assert.match(stream.text, /Exporting tickets: stopped after 20 of 200\.\n$/);
    });
  });

  it('says durations and time left as a person would', () => {
    const cases: Array<[number, string, string]> = [
      [400, '0.4 s', '1 s'],
      [2_560, '2.5 s', '3 s'],
      [12_300, '12 s', '13 s'],
      [70_000, '1 min 10 s', '70 s'],
      [200_000, '3 min 20 s', '4 min'],
      [3_900_000, '1 h 5 min', '1 h 5 min'],
    ];
    for (const [ms, duration, left] of cases) {
      assert.equal(formatDuration(ms), duration, `${ms} ms`);
      assert.equal(formatTimeLeft(ms), left, `${ms} ms left`);
    }
  });
});

describe('writeOutput', () => {
  /** A reader that takes a write only when told to, like a slow consumer at the end of a pipe. */
  function slowReader() {
    const pending: Array<() => void> = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        pending.push(() => callback());
      },
    });
    return { stream, takeOne: () => pending.shift()?.() };
  }
  const settled = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  };

  it('waits for a slow reader to catch up instead of piling lines up in memory', async () => {
    const { stream, takeOne } = slowReader();
    await writeOutput('short\n', stream);
    const waiting = writeOutput(`${'x'.repeat(40)}\n`, stream);
    assert.equal(await settled(waiting), false);
    takeOne();
    takeOne();
    await waiting;
  });

  it('fails, rather than waiting for ever, when the reader goes away', async () => {
    const { stream } = slowReader();
    const waiting = writeOutput(`${'x'.repeat(40)}\n`, stream);
    stream.destroy();
    await assert.rejects(waiting, /closed/);
  });
});

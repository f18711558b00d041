/**
 * Mail intake figures: 2,000 messages in a real Dovecot, read once by `helpdesk mail:poll --once`
 * (store, parse, policy, ticket, acknowledgement queued, \Seen, checkpoint; then the acknowledgements
 * are delivered to a real SMTP receiver, timed apart) and once by the bare baseline (imapflow fetch +
 * mailparser). Both run as their own processes, compiled to JavaScript as production runs them
 * (`npm start` and an installed `helpdesk` run dist/), not through tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import ts from 'typescript';
import { startDovecot, startSmtpReceiver, type DovecotServer } from '../../test/helpers/mail-servers';

const ROOT = path.join(__dirname, '..', '..');
const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 2000);

/** Mail like the helpdesk gets: a text and an HTML part, a case number, now and then a reply. */
async function sampleMessages(count: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let n = 0; n < count; n += 1) {
    const text = `Hello,\n\nI cannot upload the exhibit in 3:2${n % 10}-cv-0${1000 + n}-JST. The system says the PDF is too large, although it is only 8 MB. I tried twice this morning.\n\nThank you,\nFiler ${n}`;
    out.push(
      await new MailComposer({
        from: `"Filer ${n}" <filer${n}@firm${n % 50}.example>`,
        to: 'ecf-help@court.example',
        subject: `Upload problem ${n}`,
        text,
        html: `<p>${text.replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br>')}</p>`,
        messageId: `<bench.${n}.${Date.now()}@firm.example>`,
      })
        .compile()
        .build(),
    );
  }
  return out;
}

/** Builds dist/ (the helpdesk) and dist/bench/raw-fetch.js (the baseline); returns the two scripts to run. */
function compile(): { helpdesk: string; baseline: string } {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const source = readFileSync(path.join(__dirname, 'raw-fetch.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const baseline = path.join(ROOT, 'dist', 'bench', 'raw-fetch.js');
  mkdirSync(path.dirname(baseline), { recursive: true });
  writeFileSync(baseline, outputText);
  return { helpdesk: path.join(ROOT, 'dist', 'src', 'cli', 'index.js'), baseline };
}

function timedRun(args: string[], env: Record<string, string>): Promise<{ ms: number; stdout: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // 'close', not 'exit': the output may still be arriving when the process has exited.
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, stdout })
        : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** One pair of runs over the mailbox: the baseline, then mail:poll into a fresh database. */
export interface MailRun {
  /** Start to the last message done: the baseline's whole run; mail:poll's without its deliveries. */
  baselineWallMs: number;
  intakeWallMs: number;
  /** The reading itself, as each command reports it: connect to last message done, start-up excluded. */
  baselineMs: number;
  intakeMs: number;
  /** mail:poll delivering the acknowledgements it queued, after intake. */
  deliveryMs: number;
  intakeOutput: string;
}

export interface MailFigures {
  messages: number;
  runs: MailRun[];
}

// Each pair runs this many times (the machine is shared: one pair can land on a busy moment). On the
// shared two-core machines the same build gave single pairs from 0.38 to 0.75 within the hour, so a
// median of three moved by as much as a change being measured: five pairs, and every one printed.
const RUNS = Number(process.env.BENCH_MAIL_RUNS ?? 5);

/** Runs both readers over the same mailbox of `MESSAGES` messages, RUNS times, one after the other. */
export async function benchMail(): Promise<MailFigures> {
  const dovecot: DovecotServer = await startDovecot();
  const smtp = await startSmtpReceiver();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-mail-'));
  try {
    const built = compile();
    await dovecot.appendMany(await sampleMessages(MESSAGES));
    const reported = (stdout: string) =>
      JSON.parse(stdout.trim().split('\n').at(-1) as string) as { ms: number; intakeMs?: number };
    const runs: MailRun[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const baseline = await timedRun([built.baseline, dovecot.host, String(dovecot.port), dovecot.user, dovecot.password], {});
      // A new database each time: mail:poll reads the whole mailbox again (its checkpoint is in the database).
      const intake = await timedRun([built.helpdesk, 'mail:poll', '--once'], {
        ...dovecot.mailEnv(),
        ...smtp.mailEnv(),
        MAIL_FROM: 'ecf-help@court.example',
        DATABASE_URL: `sqlite://${path.join(dir, `mail-${run}.sqlite3`)}`,
        LOG_LEVEL: 'warn',
      });
      const poll = reported(intake.stdout);
      const deliveryMs = poll.ms - (poll.intakeMs as number);
      runs.push({
        baselineWallMs: baseline.ms,
        intakeWallMs: intake.ms - deliveryMs,
        baselineMs: reported(baseline.stdout).ms,
        intakeMs: poll.intakeMs as number,
        deliveryMs,
        intakeOutput: intake.stdout.trim(),
      });
    }
    return { messages: MESSAGES, runs };
  } finally {
    await smtp.stop();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const readingRatio = (r: MailRun) => r.baselineMs / r.intakeMs;

/** Prints the mail rows beside the other figures: the pair with the median reading ratio, and every pair's ratios. */
export function printMail(f: MailFigures): void {
  const rate = (ms: number) => (f.messages / (ms / 1000)).toFixed(0);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const sorted = [...f.runs].sort((a, b) => readingRatio(a) - readingRatio(b));
  const m = sorted[Math.floor((sorted.length - 1) / 2)];
  console.log(
    `\nMail intake, ${f.messages} messages in Dovecot, ${f.runs.length} pairs of runs (the pair with the median ratio shown). "Reading": connect to last message done, as each command reports it; "whole command": start to last message done (mail:poll delivers its acknowledgements after that, timed apart).\n`,
  );
  console.log('| what | reading s | messages/s | whole command s | messages/s |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| baseline: imapflow fetch + mailparser | ${s(m.baselineMs)} | ${rate(m.baselineMs)} | ${s(m.baselineWallMs)} | ${rate(m.baselineWallMs)} |`,
  );
  console.log(
    `| helpdesk mail:poll --once | ${s(m.intakeMs)} | ${rate(m.intakeMs)} | ${s(m.intakeWallMs)} | ${rate(m.intakeWallMs)} |`,
  );
  console.log(
    `\nmail:poll ÷ raw fetch + parse, median pair: ${readingRatio(m).toFixed(2)} reading, ${(m.baselineWallMs / m.intakeWallMs).toFixed(2)} whole command; then ${s(m.deliveryMs)} s delivering (mail:poll printed ${m.intakeOutput})`,
  );
  console.log(
    `every pair, reading: ${f.runs.map((r) => readingRatio(r).toFixed(2)).join(', ')}; whole command: ${f.runs.map((r) => (r.baselineWallMs / r.intakeWallMs).toFixed(2)).join(', ')}; the baseline's reading took ${f.runs.map((r) => s(r.baselineMs)).join(', ')} s (its spread is the machine's)`,
  );
}

if (require.main === module) void benchMail().then(printMail);

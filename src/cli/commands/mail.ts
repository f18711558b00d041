import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Config } from '../../config';
import { migrateLatest, type Db } from '../../db/knex';
import { pollOnce, watchMailbox } from '../../mail/inbound/imap-intake';
import type { MailReader } from '../../mail/inbound/mail-reader';
import { loadScopeRules, type ScopeRules } from '../../policy/scope-guard';
import { createServices, imapSettings, mailReaderFor, type Services } from '../../services';
import { formatReference } from '../../tickets/reference';

// Command output is JSON on stdout; the log goes to stderr so the two never mix.
const cliLog = () => pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

function services(config: Config, db: Db, reading?: { mailReader: MailReader; scopeRules: ScopeRules }): Services {
  return createServices({ config, db, logger: cliLog(), ...reading });
}

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFileSync(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `mail:poll [--once]`: fetch and process new mail, deliver what it caused; without --once, keep watching. */
export async function mailPoll(config: Config, db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } });
  const imap = imapSettings(config);
  if (!imap) {
    process.stderr.write('Mail intake is off: set IMAP_HOST, IMAP_USER, IMAP_PASSWORD and MAIL_FROM (see .env.example).\n');
    return 2;
  }
  // The reader's worker loads while the database is brought up to date; it assesses new requests
  // with the same scope rules as the rest of intake.
  const scopeRules = loadScopeRules();
  const reader = mailReaderFor(config, scopeRules);
  const warmed = reader.warm();
  try {
    await migrateLatest(db);
  } catch (error) {
    // The warming worker keeps the process alive: let it go with the failure.
    await reader.close();
    throw error;
  }
  const s = services(config, db, { mailReader: reader, scopeRules });
  const log = cliLog();
  try {
    if (values.once) {
      // Acknowledgements suggest FAQ answers: the FAQ is loaded (once, as the server does at start)
      // before the pass rather than by its first message.
      if (s.mail.ticketMail) s.faq.current();
      // Start-up includes the reader's: its worker loads and warms up (the scope rules' expressions
      // compiled, say) beside the migrations and the FAQ, and the pass, timed from here, starts ready.
      await warmed;
      const started = performance.now();
      const result = await pollOnce(imap, db, s.mail.intake, log);
      const read = performance.now();
      const delivered = (await s.mail.sender?.deliverDue()) ?? { sent: 0, failed: 0 };
      // intakeMs: connecting to the last message processed; ms: to the last delivery (start-up in neither).
      const ms = (to: number) => Math.round(to - started);
      process.stdout.write(`${JSON.stringify({ ...result, ...delivered, intakeMs: ms(read), ms: ms(performance.now()) })}\n`);
      return 0;
    }
    const watcher = watchMailbox(imap, db, s.mail.intake, log, {
      afterPass: () => s.mail.sender?.deliverDue() ?? Promise.resolve(),
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watcher.stop();
    return 0;
  } finally {
    await s.close();
  }
}

/** `mail:import FILE…` (or `-` for stdin): raw messages through the same intake as IMAP; one JSON line each. */
export async function mailImport(config: Config, db: Db, files: string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('Give one or more files of raw mail, or - to read one message from standard input.\n');
    return 2;
  }
  await migrateLatest(db);
  const s = services(config, db);
  let code = 0;
  try {
    for (const file of files) {
      let raw: Buffer;
      try {
        raw = await readInput(file);
      } catch (error) {
        process.stderr.write(`${file}: ${(error as Error).message}\n`);
        code = 1;
        continue;
      }
      const [id] = await s.mail.intake.store([{ raw, source: 'import' }]);
      const [outcome] = await s.mail.intake.processPending([id]);
      const line = outcome ? { file, ...(await describeOutcome(db, outcome)) } : { file, id, status: 'duplicate' };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    const delivered = await s.mail.sender?.deliverDue();
    if (delivered && delivered.failed > 0)
      process.stderr.write(`${delivered.failed} outgoing message(s) will be retried by the server.\n`);
    return code;
  } finally {
    await s.close();
  }
}

async function describeOutcome(db: Db, outcome: Awaited<ReturnType<Services['mail']['intake']['processPending']>>[number]) {
  if (outcome.status === 'quarantined') return outcome;
  if (outcome.ticketId === null) return outcome;
  const row = (await db('tickets').where({ id: outcome.ticketId }).first('reference_year')) as { reference_year: number };
  return { ...outcome, reference: formatReference(row.reference_year, outcome.ticketId) };
}

/** `mail:inspect FILE…`: what intake would do with each message, as JSON lines; nothing is stored. */
export async function mailInspect(config: Config, db: Db, files: string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('Give one or more files of raw mail, or - to read one message from standard input.\n');
    return 2;
  }
  const s = services(config, db);
  let code = 0;
  try {
    for (const file of files) {
      try {
        const raw = await readInput(file);
        process.stdout.write(`${JSON.stringify({ file, ...(await s.mail.intake.inspect(raw)) })}\n`);
      } catch (error) {
        process.stderr.write(`${file}: ${(error as Error).message}\n`);
        code = 1;
      }
    }
    return code;
  } finally {
    await s.close();
  }
}

/**
 * `mail:poll [--once]`: fetch and process new mail, deliver what it caused; without --once, keep
 * watching.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config';
import { migrateLatest, type Db } from '../../db/knex';
import type { MailReader } from '../../mail/inbound/mail-reader';
import { pollOnce, watchMailbox, type ImapSettings, type PollResult } from '../../mail/inbound/imap-intake';
import { imapSettings, mailReaderFor } from '../../mail/mail-settings';
import { createServices } from '../../services';
import { loadScopeRules, type ScopeRules } from '../../policy/scope-rules';
import { cliLog } from '../cli-log';
import { startProgress } from '../progress';
import { withDatabase } from '../with-database';

export async function mailPoll(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const imap = imapSettings(config);
  if (!imap) {
    process.stderr.write('Mail intake is off: set IMAP_HOST, IMAP_USER, IMAP_PASSWORD and MAIL_FROM (see .env.example).\n');
    return 2;
  }
  // It assesses new requests with the same scope rules as the rest of intake.
  const scopeRules = loadScopeRules();
  const reader = mailReaderFor(config, scopeRules);
  const warmed = reader.warm();
  try {
    return await withDatabase((db) => poll(config, db, { imap, once: values.once, reader, warmed, scopeRules }), config);
  } finally {
    // Closed with the services too; here as well for when start-up fails (a warming worker keeps the
    // process alive). Closing twice is harmless.
    await reader.close();
  }
}

async function poll(
  config: Config,
  db: Db,
  run: { imap: ImapSettings; once: boolean; reader: MailReader; warmed: Promise<void>; scopeRules: ScopeRules },
): Promise<number> {
  await migrateLatest(db);
  const log = cliLog();
  const s = createServices({ config, db, logger: log, mailReader: run.reader, scopeRules: run.scopeRules });
  try {
    // Acknowledgements suggest FAQ answers: the FAQ is loaded (once, as the server does at start)
    // before the pass rather than by its first message.
    await s.faq.fresh();
    if (run.once) {
      // Start-up includes the reader's, and the pass, timed from here, starts with it ready.
      await run.warmed;
      const started = performance.now();
      // A backlog can take minutes: its progress shows on a terminal (standard error).
      const progress = startProgress({ label: 'Processing mail' });
      let done = 0;
      let result: PollResult;
      try {
        result = await pollOnce(run.imap, db, s.mail.intake, log, {
          found: (messages) => progress.setTotal(done + messages),
          processed: (messages) => {
            done += messages;
            progress.tick(messages);
          },
        });
        progress.stop(`Processed ${done.toLocaleString('en-US')} message${done === 1 ? '' : 's'}`);
      } finally {
        progress.stop();
      }
      const read = performance.now();
      const delivered = (await s.mail.sender?.deliverDue()) ?? { sent: 0, failed: 0 };
      // intakeMs: connecting to the last message processed; ms: to the last delivery (start-up in neither).
      const ms = (to: number) => Math.round(to - started);
      process.stdout.write(`${JSON.stringify({ ...result, ...delivered, intakeMs: ms(read), ms: ms(performance.now()) })}\n`);
      return 0;
    }
    const watcher = watchMailbox(run.imap, db, s.mail.intake, log, {
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

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config';
import { jobsRun } from './commands/jobs';
import { mailImport, mailInspect, mailPoll } from './commands/mail';
import { openDatabase } from '../db/knex';
import { dbMigrate, dbRollback } from './commands/db';
import { faqCheck } from './commands/faq-check';
import { ticketsExport } from './commands/tickets-export';
import { userAdd } from './commands/user-add';

/** One entry per command: what it does (for --help) and how it runs. Exit code is the result. */
interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

async function withDatabase(work: (db: ReturnType<typeof openDatabase>, config: Config) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const db = openDatabase(config.env.DATABASE_URL);
  try {
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

const COMMANDS: Record<string, Command> = {
  'user:add': {
    summary: 'add a staff account: --email E --name N --role agent|admin [--password-stdin]',
    run: (args) => withDatabase((db) => userAdd(db, args)),
  },
  'tickets:export': {
    summary: 'print every ticket with messages and history as JSON lines [--since DATE] [--unmasked]',
    run: (args) => withDatabase((db) => ticketsExport(db, args)),
  },
  'mail:poll': {
    summary: 'fetch and process new mail, send the mail it caused [--once: one pass, then exit]',
    run: (args) => withDatabase((db, config) => mailPoll(config, db, args)),
  },
  'mail:import': {
    summary: 'feed raw RFC 822 files (or - for stdin) through the same intake as IMAP',
    run: (args) => withDatabase((db, config) => mailImport(config, db, args)),
  },
  'mail:inspect': {
    summary: 'print, as JSON lines, what intake would do with each raw message; stores nothing',
    run: (args) => withDatabase((db, config) => mailInspect(config, db, args)),
  },
  'jobs:run': {
    summary: 'run scheduled jobs once, now: NAME… or --all (callback-reminders, overdue-alerts, …)',
    run: (args) => withDatabase((db, config) => jobsRun(config, db, args)),
  },
  'faq:check': { summary: 'validate faq-content/ (front matter, required answers, links, placeholders)', run: faqCheck },
  'db:migrate': { summary: 'apply every pending database migration', run: () => withDatabase(dbMigrate) },
  'db:rollback': {
    summary: 'undo the last batch of migrations (--all: every batch)',
    run: (args) => {
      const { values } = parseArgs({ args, options: { all: { type: 'boolean', default: false } } });
      return withDatabase((db) => dbRollback(db, Boolean(values.all)));
    },
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `Usage: npx helpdesk <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

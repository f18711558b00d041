// First: .env is read before anything looks at the environment.
import '../config/env-file';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { withDatabase } from './with-database';

/** One entry per command: what it does (for --help) and how it runs. Exit code is the result. */
interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

/*
 * Each command's module is loaded when the command runs, so that a command loads only what it uses:
 * `--help` loads no command, and mail:poll starts its mail reader before the rest of the helpdesk loads
 * (see commands/mail-poll.ts). require, not import(): under tsx's CommonJS hook only require()
 * compiles TypeScript.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  auditExport: () => require('./commands/audit-export') as typeof import('./commands/audit-export'),
  backup: () => require('./commands/backup') as typeof import('./commands/backup'),
  db: () => require('./commands/db') as typeof import('./commands/db'),
  doctor: () => require('./commands/doctor') as typeof import('./commands/doctor'),
  faqCheck: () => require('./commands/faq-check') as typeof import('./commands/faq-check'),
  faqTransfer: () => require('./commands/faq-transfer') as typeof import('./commands/faq-transfer'),
  jobs: () => require('./commands/jobs') as typeof import('./commands/jobs'),
  mail: () => require('./commands/mail') as typeof import('./commands/mail'),
  mailPoll: () => require('./commands/mail-poll') as typeof import('./commands/mail-poll'),
  outage: () => require('./commands/outage') as typeof import('./commands/outage'),
  ticketsExport: () => require('./commands/tickets-export') as typeof import('./commands/tickets-export'),
  triageFeedback: () => require('./commands/triage-feedback') as typeof import('./commands/triage-feedback'),
  userAdd: () => require('./commands/user-add') as typeof import('./commands/user-add'),
  retention: () => require('./commands/retention') as typeof import('./commands/retention'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const COMMANDS: Record<string, Command> = {
  'user:add': {
    summary: 'add a staff account: --email E --name N --role agent|editor|supervisor|admin [--password-stdin]',
    run: (args) => withDatabase((db) => commands.userAdd().userAdd(db, args)),
  },
  'tickets:export': {
    summary: 'print every ticket with messages and history as JSON lines [--since DATE] [--unmasked]',
    run: (args) => withDatabase((db) => commands.ticketsExport().ticketsExport(db, args)),
  },
  'triage:feedback': {
    summary: 'print staff corrections of the scope guard as labelled JSON lines, masked [--since DATE]',
    run: (args) => withDatabase((db, config) => commands.triageFeedback().triageFeedback(config, db, args)),
  },
  'mail:poll': {
    summary: 'fetch and process new mail, send the mail it caused [--once: one pass, then exit]',
    run: (args) => commands.mailPoll().mailPoll(args),
  },
  'mail:import': {
    summary: 'feed raw RFC 822 files (or - for stdin) through the same intake as IMAP',
    run: (args) => withDatabase((db, config) => commands.mail().mailImport(config, db, args)),
  },
  'mail:inspect': {
    summary: 'print, as JSON lines, what intake would do with each raw message; stores nothing',
    run: (args) => withDatabase((db, config) => commands.mail().mailInspect(config, db, args)),
  },
  'audit:export': {
    summary: 'print the audit log as JSON lines, oldest first [--since DATE]',
    run: (args) => withDatabase((db) => commands.auditExport().auditExport(db, args)),
  },
  'retention:run': {
    summary: "delete what is past the court profile's retention periods, except legal holds [--dry-run]",
    run: (args) => withDatabase((db, config) => commands.retention().retentionRun(config, db, args)),
  },
  'jobs:run': {
    summary: 'run scheduled jobs once, now: NAME… or --all (callback-reminders, overdue-alerts, …)',
    run: (args) => withDatabase((db, config) => commands.jobs().jobsRun(config, db, args)),
  },
  doctor: {
    summary: 'check the configuration, court profile, database, mail servers and FAQ content; say what to fix',
    run: () => commands.doctor().doctor(),
  },
  'outage:start': {
    summary: 'declare an outage: --scope cmecf|pacer|email-notices|helpdesk-phone|other --message M [--at ISO]',
    run: (args) => withDatabase((db, config) => commands.outage().outageStart(config, db, args)),
  },
  'outage:end': {
    summary: 'end the active outage [--scope S: which, when several are on] [--at ISO]',
    run: (args) => withDatabase((db, config) => commands.outage().outageEnd(config, db, args)),
  },
  'faq:check': {
    summary: 'validate faq-content/ (front matter, required answers, links, placeholders)',
    run: (args) => commands.faqCheck().faqCheck(args),
  },
  'faq:import': {
    summary: 'make the answers in DIR (Markdown with front matter) the published ones; all or nothing',
    run: (args) => withDatabase((db) => commands.faqTransfer().faqImport(db, args)),
  },
  'faq:export': {
    summary: 'write every published answer to DIR as <id>.md, exactly as stored, and synonyms.yaml',
    run: (args) => withDatabase((db) => commands.faqTransfer().faqExport(db, args)),
  },
  backup: {
    summary: 'write a consistent copy of the SQLite database to a new FILE while the helpdesk runs',
    run: (args) => commands.backup().backup(loadConfig(), args),
  },
  'db:migrate': {
    summary: 'apply every pending database migration',
    run: () => withDatabase((db) => commands.db().dbMigrate(db)),
  },
  'db:rollback': {
    summary: 'undo the last batch of migrations (--all: every batch)',
    run: (args) => {
      const { values } = parseArgs({ args, options: { all: { type: 'boolean', default: false } } });
      return withDatabase((db) => commands.db().dbRollback(db, Boolean(values.all)));
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

import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, sqliteFilename, type Config } from '../config';
import { checkFaqContent } from '../faq/faq-content';
import { REQUIRED_ANSWERS } from '../faq/required-answers';
import { imapSettings, smtpSettings } from '../mail/mail-settings';
import { FAQ_DIR } from '../paths';
import { describeDatabase } from './start-line';

/** One line of `helpdesk doctor`: ok, a warning (works, but look at it), a failure (fix it), or off. */
export interface Finding {
  check: string;
  state: 'ok' | 'warn' | 'fail' | 'off';
  /** What was found, in plain words. */
  detail: string;
  /** What to do about it, when something is to be done. */
  fix?: string;
}

const TIMEOUT_MS = 15_000;

/** Rejects after `ms` with a timeout the findings below put in words. */
function withTimeout<T>(work: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A connection failure of any server, in words a court's IT person can act on. */
function networkProblem(error: unknown, where: string): string | null {
  const { message } = error as { message?: string };
  // nodemailer wraps the socket's error (code ESOCKET); its message still names the system's code.
  const code =
    /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)\b/.exec(message ?? '')?.[1] ?? (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing answers at ${where} (connection refused): is the server running, and the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the name in ${where} cannot be found (DNS): check the host name.`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'ECONNRESET':
      return `${where} did not answer in time: a firewall, or the wrong port?`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the TLS certificate of ${where} was not accepted (${code}): certificates are always checked.`;
    default:
      return /tls|ssl|certificate/i.test(message ?? '') ? `TLS with ${where} failed: ${message}` : null;
  }
}

/** The environment and the court profile, each named apart; a config to go on with when only the profile is wrong. */
function configurationFindings(
  source: NodeJS.ProcessEnv,
  envFile: string | null,
): { findings: Finding[]; config: Config | null } {
  const settings = envFile ? `settings from ${envFile} and the environment` : 'settings from the environment (no .env file here)';
  let config: Config;
  try {
    config = loadConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The profile is read after the environment passed: a ConfigError with a cause is the profile's.
    if (!error.cause)
      return {
        findings: [
          {
            check: 'Configuration',
            state: 'fail',
            detail: error.message.replace(/:?\n\s*/g, (m) => (m.startsWith(':') ? ': ' : '; ')),
            fix: 'Correct the variables named (see .env.example).',
          },
        ],
        config: null,
      };
    const withoutProfile = loadConfig({ ...source, COURT_PROFILE: '' });
    return {
      findings: [
        { check: 'Configuration', state: 'ok', detail: settings },
        {
          check: 'Court profile',
          state: 'fail',
          detail: `${source.COURT_PROFILE} cannot be used: ${error.message}`,
          fix: 'Point COURT_PROFILE at a readable JSON or YAML profile (examples in profiles/), and correct what is named.',
        },
      ],
      config: withoutProfile,
    };
  }
  const findings: Finding[] = [{ check: 'Configuration', state: 'ok', detail: settings }];
  findings.push(
    config.env.COURT_PROFILE
      ? {
          check: 'Court profile',
          state: 'ok',
          detail: `${config.profile.court.name} (${config.env.COURT_PROFILE}), time zone ${config.profile.timezone}`,
        }
      : {
          check: 'Court profile',
          state: 'warn',
          detail: `none set: the built-in example court "${config.profile.court.name}" with example contacts is in use`,
          fix: "Set COURT_PROFILE to your court's profile (examples: profiles/wawd.json, profiles/cand.json, profiles/mad.json).",
        },
  );
  if ((config.env.IMAP_HOST || config.env.SMTP_HOST) && !config.env.PUBLIC_URL)
    findings.push({
      check: 'Public address',
      state: 'warn',
      detail: `PUBLIC_URL is unset, so links in the mail filers receive point to http://localhost:${config.env.PORT}, which they cannot reach`,
      fix: 'Set PUBLIC_URL to the address filers reach the helpdesk at, e.g. https://helpdesk.example.gov.',
    });
  return { findings, config };
}

/** The database answers, and every migration of this version is applied. */
async function databaseFindings(config: Config): Promise<Finding[]> {
  const url = config.env.DATABASE_URL;
  const name = describeDatabase(url);
  if (url.startsWith('sqlite:') && !existsSync(sqliteFilename(url)))
    return [
      {
        check: 'Database',
        state: 'warn',
        detail: `${name} does not exist yet`,
        fix: 'Start the server once (npm start): it creates and prepares the database.',
      },
    ];
  // Loaded here, as the command line does: knex and its drivers only when a database is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openDatabase, migrationConfig } = require('../db/knex') as typeof import('../db/knex');
  const db = openDatabase(url);
  try {
    try {
      await withTimeout(db.raw('select 1'));
    } catch (error) {
      const { code } = error as { code?: string };
      const where = name.replace(/^PostgreSQL \S+ on /, '');
      const detail =
        code === '28P01' || code === '28000'
          ? `${name} refused the user name or password in DATABASE_URL`
          : code === '3D000'
            ? `${name}: that database does not exist`
            : (networkProblem(error, where) ?? `${name} does not answer: ${(error as Error).message}`);
      return [{ check: 'Database', state: 'fail', detail, fix: 'Correct DATABASE_URL, or start the database server.' }];
    }
    const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], Array<{ file: string } | string>];
    if (pending.length > 0) {
      const names = pending.map((m) => (typeof m === 'string' ? m : m.file).replace(/\.(ts|js)$/, ''));
      return [
        { check: 'Database', state: 'ok', detail: `${name} answers` },
        {
          check: 'Database migrations',
          state: 'fail',
          detail: `${pending.length} not applied yet (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`,
          fix: 'Run `npx helpdesk db:migrate` (the server also applies them when it starts).',
        },
      ];
    }
    return [{ check: 'Database', state: 'ok', detail: `${name} answers; every migration is applied` }];
  } finally {
    await db.destroy();
  }
}

/** Connects to the IMAP server, logs in and opens the mailbox, as intake will. */
async function imapFinding(config: Config): Promise<Finding> {
  const settings = imapSettings(config);
  if (!settings) return { check: 'Incoming mail (IMAP)', state: 'off', detail: 'off: IMAP_HOST is unset, so no mailbox is read' };
  const where = `${settings.host}:${settings.port ?? (settings.tls ? 993 : 143)}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { imapClient } = require('../mail/inbound/imap-intake') as typeof import('../mail/inbound/imap-intake');
  const client = imapClient(settings, false);
  client.on('error', () => undefined); // a failure is reported below, not thrown from an event
  try {
    await withTimeout(client.connect());
    const status = await withTimeout(client.status(settings.mailbox, { messages: true }));
    if (!status)
      return {
        check: 'Incoming mail (IMAP)',
        state: 'fail',
        detail: `logged in to ${where} as ${settings.user}, but the mailbox ${settings.mailbox} cannot be opened`,
        fix: 'Check IMAP_MAILBOX (INBOX unless the court reads another folder).',
      };
    return {
      check: 'Incoming mail (IMAP)',
      state: 'ok',
      detail: `logged in to ${where} as ${settings.user}; ${settings.mailbox} holds ${status.messages ?? 0} message(s)`,
    };
  } catch (error) {
    const { authenticationFailed, responseText, code } = error as {
      authenticationFailed?: boolean;
      responseText?: string;
      code?: string;
    };
    const detail = authenticationFailed
      ? `${where} refused the user name or password for ${settings.user}${responseText ? ` (${responseText})` : ''}`
      : code === 'NoConnection' ||
          /mailbox/i.test(responseText ?? '') ||
          /nonexistent|doesn't exist|not exist/i.test(responseText ?? '')
        ? `logged in to ${where}, but the mailbox ${settings.mailbox} cannot be opened${responseText ? ` (${responseText})` : ''}`
        : (networkProblem(error, where) ?? `${where}: ${(error as Error).message}${responseText ? ` (${responseText})` : ''}`);
    const fix = authenticationFailed
      ? 'Check IMAP_USER and IMAP_PASSWORD (an app password, if the mail service asks for one).'
      : /mailbox/.test(detail)
        ? 'Check IMAP_MAILBOX (INBOX unless the court reads another folder).'
        : 'Check IMAP_HOST, IMAP_PORT and IMAP_TLS.';
    return { check: 'Incoming mail (IMAP)', state: 'fail', detail, fix };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Connects to the SMTP relay and logs in (when a user is set), as sending will; sends nothing. */
async function smtpFinding(config: Config): Promise<Finding> {
  const settings = smtpSettings(config);
  if (!settings || !config.env.MAIL_FROM)
    return { check: 'Outgoing mail (SMTP)', state: 'off', detail: 'off: SMTP_HOST or MAIL_FROM is unset, so no mail is sent' };
  const where = `${settings.host}:${settings.port ?? (settings.tls ? 587 : 25)}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { smtpTransport } = require('../mail/outbound/mail-sender') as typeof import('../mail/outbound/mail-sender');
  const transport = smtpTransport(settings);
  try {
    await withTimeout(transport.verify());
    return {
      check: 'Outgoing mail (SMTP)',
      state: 'ok',
      detail: `${where} accepts ${settings.user ? `${settings.user}'s login` : 'connections'}; mail goes out as ${config.env.MAIL_FROM}`,
    };
  } catch (error) {
    const { code } = error as { code?: string };
    const detail =
      code === 'EAUTH'
        ? `${where} refused the user name or password for ${settings.user ?? '(no user)'}`
        : (networkProblem(error, where) ?? `${where}: ${(error as Error).message}`);
    return {
      check: 'Outgoing mail (SMTP)',
      state: 'fail',
      detail,
      fix: code === 'EAUTH' ? 'Check SMTP_USER and SMTP_PASSWORD.' : 'Check SMTP_HOST, SMTP_PORT and SMTP_TLS.',
    };
  } finally {
    transport.close();
  }
}

function faqFinding(dir = FAQ_DIR): Finding {
  const problems = checkFaqContent(dir, REQUIRED_ANSWERS);
  if (problems.length === 0) return { check: 'FAQ content', state: 'ok', detail: `${dir}: no problems` };
  return {
    check: 'FAQ content',
    state: 'fail',
    detail: `${problems.length} problem(s) in ${dir}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
    fix: 'Run `npx helpdesk faq:check` for the whole list, and correct the files named.',
  };
}

/**
 * Everything `helpdesk doctor` checks, in order: configuration, court profile, database and its
 * migrations, mail in and out (connecting and logging in), the FAQ content. Checks after a failed
 * configuration are skipped: they would read settings that are wrong.
 */
export async function examine(source: NodeJS.ProcessEnv, envFile: string | null): Promise<Finding[]> {
  const { findings, config } = configurationFindings(source, envFile);
  if (!config) return findings;
  const mail = await Promise.all([imapFinding(config), smtpFinding(config)]);
  return [...findings, ...(await databaseFindings(config)), ...mail, faqFinding()];
}

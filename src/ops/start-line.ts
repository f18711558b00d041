import path from 'node:path';
import type { Config } from '../config';
import { sqliteFilename } from '../config';

/** The database in a few words, never with its password: `SQLite data/helpdesk.sqlite3`, `PostgreSQL helpdesk on db.example:5432`. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:'))
    return `SQLite ${path.relative(process.cwd(), sqliteFilename(databaseUrl)) || sqliteFilename(databaseUrl)}`;
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL ${decodeURIComponent(url.pathname.slice(1)) || '(default database)'} on ${url.hostname}${url.port ? `:${url.port}` : ''}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** Which court profile is in use, or that the built-in example is, and how to choose one. */
export function describeProfile(config: Config): string {
  const file = config.env.COURT_PROFILE;
  if (file) return `${config.profile.court.name} (court profile ${file})`;
  return `the built-in example court "${config.profile.court.name}" with example contacts: set COURT_PROFILE to your court's profile, e.g. profiles/wawd.json`;
}

/** Whether mail is read and sent, and where, in a few words. */
export function describeMail(config: Config): string {
  const { IMAP_HOST, IMAP_USER, IMAP_MAILBOX, SMTP_HOST, MAIL_FROM } = config.env;
  const reading = IMAP_HOST ? `reads ${IMAP_USER}'s ${IMAP_MAILBOX} on ${IMAP_HOST}` : null;
  const sending = SMTP_HOST && MAIL_FROM ? `sends as ${MAIL_FROM} through ${SMTP_HOST}` : null;
  if (!reading && !sending) return 'mail off (set IMAP_HOST and SMTP_HOST to turn it on)';
  return `mail ${[reading ?? 'not read (IMAP_HOST unset)', sending ?? 'not sent (SMTP_HOST unset)'].join(', ')}`;
}

/**
 * The one line a process logs at start, for the person who started it: the court, the database,
 * the roles this process runs, and mail; plus the `.env` file read, if any.
 */
export function startLine(config: Config, envFile: string | null): string {
  const parts = [
    `ECF Helpdesk for ${describeProfile(config)}`,
    `database ${describeDatabase(config.env.DATABASE_URL)}`,
    `runs ${config.env.HELPDESK_ROLES.join(', ')}`,
    describeMail(config),
  ];
  if (envFile) parts.push(`settings from ${path.relative(process.cwd(), envFile) || envFile}`);
  return parts.join('; ');
}

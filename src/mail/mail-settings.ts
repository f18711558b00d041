/**
 * The mail settings read from the configuration, and the mail reader built from them. Apart from the
 * services (which load the whole helpdesk), so that mail:poll can start its reader before it loads
 * the rest; this loads only what the reader's own thread reads with (mailparser, the policy).
 */
import type { Config } from '../config';
import type { ScopeRules } from '../policy/scope-rules';
import { ownAddressesFrom } from './inbound/classify-message';
import type { ImapSettings } from './inbound/imap-intake';
import { workerReader, type MailReader } from './inbound/mail-reader';
import type { SmtpSettings } from './outbound/mail-sender';

/** IMAP settings when intake by mail is configured (IMAP_HOST set), else null. */
export function imapSettings(config: Config): ImapSettings | null {
  const env = config.env;
  if (!env.IMAP_HOST || !env.IMAP_USER || env.IMAP_PASSWORD === undefined) return null;
  return {
    host: env.IMAP_HOST,
    port: env.IMAP_PORT,
    user: env.IMAP_USER,
    password: env.IMAP_PASSWORD,
    tls: env.IMAP_TLS,
    mailbox: env.IMAP_MAILBOX,
  };
}

/** SMTP settings when outgoing mail is configured (SMTP_HOST set), else null. */
export function smtpSettings(config: Config): SmtpSettings | null {
  const env = config.env;
  if (!env.SMTP_HOST) return null;
  return { host: env.SMTP_HOST, port: env.SMTP_PORT, user: env.SMTP_USER, password: env.SMTP_PASSWORD, tls: env.SMTP_TLS };
}

/** The helpdesk's own addresses (MAIL_FROM and its variants): mail from them is never a request. */
export const ownAddressesOf = (config: Config) => (config.env.MAIL_FROM ? ownAddressesFrom(config.env.MAIL_FROM) : []);

/**
 * The mail reader intake uses: parsing (and the policy's reading of new requests) runs in a worker
 * thread, beside the database work and off the web server's thread.
 */
export const mailReaderFor = (config: Config, scopeRules: ScopeRules): MailReader =>
  workerReader(ownAddressesOf(config), { scopeRules });

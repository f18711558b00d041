import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/knex';
import type { Logger } from '../../logger';
import { withAsciiDomain } from '../../tickets/email.schema';
import { claimDue, markAttemptFailed, markSent, type OutboxRow, type OutgoingAttachment } from './outbox.repository';

export interface SmtpSettings {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  /** true: TLS required (implicit on port 465, STARTTLS elsewhere); false: plain, for a relay on loopback. */
  tls: boolean;
}

// Minutes to wait after each failed attempt; after the last, the message is marked failed for staff to see.
const RETRY_MINUTES = [1, 5, 15, 60, 240, 720];
// How long a sender holds a claimed message; a sender that dies mid-delivery releases it by expiry.
const CLAIM_MS = 2 * 60_000;

/** Builds the nodemailer transport. Certificates are always checked: a relay that fails them is refused. */
export function smtpTransport(settings: SmtpSettings): Transporter {
  const port = settings.port ?? (settings.tls ? 587 : 25);
  return nodemailer.createTransport({
    host: settings.host,
    port,
    secure: settings.tls && port === 465,
    requireTLS: settings.tls && port !== 465,
    ignoreTLS: !settings.tls,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    // One connection reused for message after message, not one per message.
    pool: true,
    maxConnections: 1,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Delivers what the outbox holds. A message is claimed, sent, then marked sent; a temporary failure
 * puts it back with a delay, a permanent refusal (5xx) or too many tries marks it failed. A crash
 * between sending and marking can repeat a delivery once, with the same Message-ID, so the receiving
 * side sees the same message; nothing is ever dropped.
 */
export function createMailSender(deps: {
  db: Db;
  transport: Transporter;
  from: { name: string; address: string };
  now: () => Date;
  log: Logger;
}) {
  const { db, transport, from, now, log } = deps;

  async function deliver(row: OutboxRow): Promise<boolean> {
    try {
      await transport.sendMail({
        from,
        // An international domain goes to the server in its ASCII (punycode) form.
        to: withAsciiDomain(row.to_address),
        subject: row.subject,
        text: row.text_body,
        html: row.html_body ?? undefined,
        messageId: row.message_id,
        inReplyTo: row.in_reply_to ?? undefined,
        references: row.references ?? undefined,
        // RFC 3834: automatic mail says so, and asks auto-responders not to answer it.
        headers: row.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
        attachments: row.attachments
          ? (JSON.parse(row.attachments) as OutgoingAttachment[]).map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.content,
            }))
          : undefined,
      });
      await markSent(db, row.id, now().toISOString());
      return true;
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const delay = RETRY_MINUTES[row.attempts - 1];
      const retryAt = isPermanent(error) || delay === undefined ? null : new Date(now().getTime() + delay * 60_000).toISOString();
      await markAttemptFailed(db, row.id, message, retryAt);
      log.warn({ outboxId: row.id, attempts: row.attempts, retryAt, err: message }, 'mail delivery failed');
      return false;
    }
  }

  return {
    /** Delivers every message that is due, in batches; returns how many were sent and how many failed. */
    async deliverDue(batch = 50): Promise<{ sent: number; failed: number }> {
      let sent = 0;
      let failed = 0;
      for (;;) {
        const at = now();
        const rows = await claimDue(db, at.toISOString(), new Date(at.getTime() + CLAIM_MS).toISOString(), batch);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (await deliver(row)) sent += 1;
          else failed += 1;
        }
        if (rows.length < batch) break;
      }
      return { sent, failed };
    },
    close: () => transport.close(),
  };
}

export type MailSender = ReturnType<typeof createMailSender>;

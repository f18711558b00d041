import type { Db } from '../../db/knex';
import { newMessageId } from './message-id';
import {
  countAutomaticSince,
  insertOutgoing,
  queuedDedupeKeys,
  undeliverableAmong,
  type OutgoingMail,
  type OutgoingRow,
} from './outbox.repository';

/** The loop breaker: at most this many automatic messages to one address in a rolling day. */
export const AUTOMATIC_MAIL_CAP = { count: 10, windowHours: 24 };

export type QueueResult = 'queued' | 'duplicate' | 'suppressed';

/** Queues outgoing mail in the caller's transaction; a sender delivers it after the commit. */
export function createOutbox(deps: { mailFrom: string; now: () => Date }) {
  const { mailFrom, now } = deps;
  /**
   * Queues messages, in order. Automatic mail is held back (stored as suppressed, never sent) when
   * the address is known to be undeliverable or has had its share of automatic mail today (mail
   * earlier in the same call counting): this is what stops two auto-responders from answering each
   * other for ever. A message whose dedupe key is already queued is a duplicate and is not stored.
   * The checks are made for all the messages together: a few queries, whatever their number.
   */
  async function queueMany(q: Db, mails: OutgoingMail[]): Promise<QueueResult[]> {
    if (mails.length === 0) return [];
    const at = now();
    const own = mailFrom.toLowerCase();
    const capped = [...new Set(mails.filter((m) => m.automatic && m.to.toLowerCase() !== own).map((m) => m.to.toLowerCase()))];
    const since = new Date(at.getTime() - AUTOMATIC_MAIL_CAP.windowHours * 3_600_000).toISOString();
    const undeliverable = capped.length > 0 ? await undeliverableAmong(q, capped) : new Set<string>();
    const counts = capped.length > 0 ? await countAutomaticSince(q, capped, since) : new Map<string, number>();
    // Duplicates are known before counting, so they never count against the cap (a single message
    // needs no look: the insert tells).
    const keys = mails.flatMap((m) => (m.dedupeKey ? [m.dedupeKey] : []));
    const taken = mails.length > 1 && keys.length > 0 ? await queuedDedupeKeys(q, keys) : new Set<string>();
    const rows: Array<OutgoingRow | null> = mails.map((mail) => {
      if (mail.dedupeKey) {
        if (taken.has(mail.dedupeKey)) return null;
        taken.add(mail.dedupeKey);
      }
      const to = mail.to.toLowerCase();
      let reason: string | null = null;
      // Staff alerts go to the helpdesk's own mailbox on purpose (intake ignores mail from its own
      // address, so they cannot loop), and the per-address cap would silence them on a busy day.
      if (to === own) reason = mail.kind === 'staff_alert' ? null : 'own_address';
      else if (mail.automatic) {
        const sent = counts.get(to) ?? 0;
        if (undeliverable.has(to)) reason = 'undeliverable';
        // A staff member's notifications (one per filer reply, a summary a day) are not a loop: a busy
        // day must not silence them.
        else if (sent >= AUTOMATIC_MAIL_CAP.count && mail.kind !== 'staff_notification') reason = 'sender_cap';
        else counts.set(to, sent + 1);
      }
      return { mail, status: reason ? 'suppressed' : 'pending', suppressedReason: reason };
    });
    const stored = await insertOutgoing(
      q,
      rows.filter((r): r is OutgoingRow => r !== null),
      at.toISOString(),
    );
    return rows.map((row) => {
      if (!row || !stored.has(row.mail.messageId)) return 'duplicate';
      return row.status === 'suppressed' ? 'suppressed' : 'queued';
    });
  }

  return {
    mailFrom,
    newMessageId: () => newMessageId(mailFrom),

    queueMany,

    /** Queues one message (see queueMany). */
    async queue(q: Db, mail: OutgoingMail): Promise<QueueResult> {
      const [result] = await queueMany(q, [mail]);
      return result;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

import type { Db } from '../../db/knex';
import { newMessageId } from './message-id';
import { countAutomaticSince, insertOutgoing, type OutgoingMail } from './outbox.repository';

/** The loop breaker: at most this many automatic messages to one address in a rolling day. */
export const AUTOMATIC_MAIL_CAP = { count: 10, windowHours: 24 };

export type QueueResult = 'queued' | 'duplicate' | 'suppressed';

/** Queues outgoing mail in the caller's transaction; a sender delivers it after the commit. */
export function createOutbox(deps: { mailFrom: string; now: () => Date }) {
  const { mailFrom, now } = deps;
  return {
    mailFrom,
    newMessageId: () => newMessageId(mailFrom),

    /**
     * Queues `mail`. Automatic mail is held back (stored as suppressed, never sent) when the address
     * is known to be undeliverable or has had its share of automatic mail today: this is what stops
     * two auto-responders from answering each other for ever.
     */
    async queue(q: Db, mail: OutgoingMail): Promise<QueueResult> {
      const at = now();
      const iso = at.toISOString();
      let suppressed: string | null = null;
      const toSelf = mail.to.toLowerCase() === mailFrom.toLowerCase();
      if (toSelf) {
        // Staff alerts go to the helpdesk's own mailbox on purpose (intake ignores mail from its own
        // address, so they cannot loop), and the per-address cap would silence them on a busy day.
        if (mail.kind !== 'staff_alert') suppressed = 'own_address';
      } else if (mail.automatic) {
        const address = (await q('mail_addresses').where({ address: mail.to.toLowerCase() }).first('undeliverable')) as
          { undeliverable: number | boolean } | undefined;
        if (address && Boolean(address.undeliverable)) suppressed = 'undeliverable';
        else {
          const since = new Date(at.getTime() - AUTOMATIC_MAIL_CAP.windowHours * 3_600_000).toISOString();
          if ((await countAutomaticSince(q, mail.to, since)) >= AUTOMATIC_MAIL_CAP.count) suppressed = 'sender_cap';
        }
      }
      const inserted = await insertOutgoing(q, mail, iso, suppressed ? 'suppressed' : 'pending', suppressed);
      if (!inserted) return 'duplicate';
      return suppressed ? 'suppressed' : 'queued';
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

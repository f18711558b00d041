import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

// An address whose mail failed this many times is not sent automatic mail any more.
export const UNDELIVERABLE_AFTER = 3;

/** Messages we sent (or tried to) among these Message-IDs, with the address each went to. */
export async function sentMessagesAmong(
  q: Q,
  messageIds: string[],
): Promise<Array<{ id: number; messageId: string; toAddress: string }>> {
  if (messageIds.length === 0) return [];
  const rows = (await q('outbox')
    .whereIn('message_id', messageIds.slice(0, 100))
    .whereNot({ status: 'suppressed' })
    .select('id', 'message_id', 'to_address')) as Array<{ id: number; message_id: string; to_address: string }>;
  return rows.map((r) => ({ id: r.id, messageId: r.message_id, toAddress: r.to_address }));
}

/**
 * Keeps a delivery report about an address. It counts towards marking the address undeliverable
 * only when it is a failure of a message we sent to that address (`outboxId`), and only once per
 * such message: the database keeps a second count for the same message out. A report that refers
 * to nothing we sent is kept and shown, and counts for nothing: anyone can write one.
 */
export async function recordBounce(
  q: Q,
  bounce: {
    address: string;
    inboundMailId: number;
    outboxId: number | null;
    action: string | null;
    status: string | null;
    diagnostic: string | null;
  },
  at: string,
): Promise<void> {
  const address = bounce.address.toLowerCase();
  const row = {
    address,
    inbound_mail_id: bounce.inboundMailId,
    outbox_id: bounce.outboxId,
    action: bounce.action,
    status: bounce.status,
    diagnostic: bounce.diagnostic?.slice(0, 2000) ?? null,
    created_at: at,
  };
  // A delay is only a warning; a failure (or a report that does not say) counts.
  const failed = !bounce.action || bounce.action.toLowerCase() === 'failed';
  if (bounce.outboxId === null || !failed) {
    await q('mail_bounces').insert(row);
    return;
  }
  const counted = (await q('mail_bounces')
    .insert({ ...row, counted_outbox_id: bounce.outboxId })
    .onConflict('counted_outbox_id')
    .ignore()
    .returning('id')) as Array<{ id: number } | number>;
  if (counted.length === 0) {
    // This message's failure was counted before: the report is kept, not counted again.
    await q('mail_bounces').insert(row);
    return;
  }
  await q('mail_addresses')
    .insert({ address, hard_bounces: 1, undeliverable: UNDELIVERABLE_AFTER <= 1, updated_at: at })
    .onConflict('address')
    .merge({
      hard_bounces: q.raw('mail_addresses.hard_bounces + 1'),
      undeliverable: q.raw('mail_addresses.hard_bounces + 1 >= ?', [UNDELIVERABLE_AFTER]),
      updated_at: at,
    });
}

export interface AddressDeliverability {
  undeliverable: boolean;
  hardBounces: number;
  bounces: Array<{ action: string | null; status: string | null; diagnostic: string | null; createdAt: string }>;
}

/** What is known about mail to an address: shown on the requester of a ticket. */
export async function deliverabilityOf(q: Q, address: string): Promise<AddressDeliverability> {
  const lower = address.toLowerCase();
  const [state, bounces] = await Promise.all([
    q('mail_addresses').where({ address: lower }).first() as Promise<
      { hard_bounces: number; undeliverable: number | boolean } | undefined
    >,
    // Only reports about mail we sent: one that refers to nothing we sent may be forged.
    q('mail_bounces').where({ address: lower }).whereNotNull('outbox_id').orderBy('id', 'desc').limit(10) as Promise<
      Array<{ action: string | null; status: string | null; diagnostic: string | null; created_at: string }>
    >,
  ]);
  return {
    undeliverable: Boolean(state?.undeliverable),
    hardBounces: state?.hard_bounces ?? 0,
    bounces: bounces.map((b) => ({ action: b.action, status: b.status, diagnostic: b.diagnostic, createdAt: b.created_at })),
  };
}

import type { Knex } from 'knex';
import { dedupeKeyOf, rawHeader } from './raw-headers';

type Q = Knex | Knex.Transaction;

export type InboundStatus = 'received' | 'processed' | 'quarantined';
export type InboundKind = 'new' | 'reply' | 'auto_reply' | 'bounce' | 'own_address';

export interface RawArrival {
  raw: Buffer;
  source: 'imap' | 'import';
  mailbox?: string;
  uid?: number;
}

export interface InboundRow {
  id: number;
  dedupe_key: string;
  message_id: string | null;
  source: string;
  mailbox: string | null;
  uid: number | null;
  raw: Buffer;
  size: number;
  received_at: string;
  status: InboundStatus;
  kind: InboundKind | null;
  from_address: string | null;
  subject: string | null;
  ticket_id: number | null;
  error: string | null;
  attempts: number;
  processed_at: string | null;
}

/**
 * Stores raw messages, before anything else is done with them. A message already stored (same
 * Message-ID, or same bytes when it has none) is left as it is. Returns the ids of the rows, new or
 * old, in the order given. Their processing starts once this commits, so the start is counted with
 * them (see countAttempt): a new row is stored counted, a copy still waiting has one added.
 */
export async function storeRaw(q: Q, arrivals: RawArrival[], at: string): Promise<number[]> {
  if (arrivals.length === 0) return [];
  const rows = arrivals.map((a) => {
    const { key, messageId } = dedupeKeyOf(a.raw);
    // Read from the raw headers now, so that even a message that never parses shows who sent it.
    const from = rawHeader(a.raw, 'from');
    return {
      dedupe_key: key,
      message_id: messageId,
      from_address: (from && /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0].slice(0, 320)) ?? null,
      subject: rawHeader(a.raw, 'subject')?.slice(0, 1000) ?? null,
      source: a.source,
      mailbox: a.mailbox ?? null,
      uid: a.uid ?? null,
      raw: a.raw,
      size: a.raw.length,
      received_at: at,
      attempts: 1,
    };
  });
  // Rows this call stored come back from the insert; copies stored before are looked up.
  const found = new Map<string, number>();
  // Bounded chunks keep each statement under SQLite's limit on bound variables.
  for (let i = 0; i < rows.length; i += 50) {
    const inserted = (await q('inbound_mail')
      .insert(rows.slice(i, i + 50))
      .onConflict('dedupe_key')
      .ignore()
      .returning(['id', 'dedupe_key'])) as Array<{ id: number; dedupe_key: string }>;
    for (const r of inserted) found.set(r.dedupe_key, r.id);
  }
  const older = [...new Set(rows.map((r) => r.dedupe_key).filter((k) => !found.has(k)))];
  const olderIds: number[] = [];
  for (let i = 0; i < older.length; i += 500) {
    const part = (await q('inbound_mail')
      .whereIn('dedupe_key', older.slice(i, i + 500))
      .select('id', 'dedupe_key')) as Array<{ id: number; dedupe_key: string }>;
    for (const r of part) {
      found.set(r.dedupe_key, r.id);
      olderIds.push(r.id);
    }
  }
  if (olderIds.length > 0) await countAttempt(q, olderIds);
  return rows.map((r) => found.get(r.dedupe_key) as number);
}

/** Stored messages not yet processed, oldest first. */
export async function pendingIds(q: Q): Promise<number[]> {
  return ((await q('inbound_mail').where({ status: 'received' }).orderBy('id').select('id')) as Array<{ id: number }>).map(
    (r) => r.id,
  );
}

/** Stored messages by id, in id order. */
export async function findInboundMany(q: Q, ids: number[]): Promise<InboundRow[]> {
  return (await q('inbound_mail').whereIn('id', ids).orderBy('id')) as InboundRow[];
}

export async function findInbound(q: Q, id: number): Promise<InboundRow | undefined> {
  return (await q('inbound_mail').where({ id }).first()) as InboundRow | undefined;
}

/** Marks a message done; only a message still waiting is changed, so processing twice does nothing twice. */
export async function markProcessed(
  q: Q,
  id: number,
  outcome: { kind: InboundKind; ticketId: number | null; fromAddress: string | null; subject: string | null },
  at: string,
): Promise<boolean> {
  const changed = await q('inbound_mail')
    .where({ id, status: 'received' })
    .update({
      status: 'processed',
      kind: outcome.kind,
      ticket_id: outcome.ticketId,
      from_address: outcome.fromAddress,
      subject: outcome.subject?.slice(0, 1000) ?? null,
      processed_at: at,
      error: null,
    });
  return changed === 1;
}

/** Marks many messages done in one statement; false (and nothing may be kept) unless every one was still waiting. */
export async function markProcessedMany(
  q: Q,
  outcomes: Array<{ id: number; kind: InboundKind; ticketId: number | null; fromAddress: string | null; subject: string | null }>,
  at: string,
): Promise<boolean> {
  const byId = (pick: (o: (typeof outcomes)[number]) => string | number | null) =>
    q.raw(
      `CASE id ${outcomes.map(() => 'WHEN ? THEN ?').join(' ')} END`,
      outcomes.flatMap((o) => [o.id, pick(o)]),
    );
  const changed = await q('inbound_mail')
    .whereIn(
      'id',
      outcomes.map((o) => o.id),
    )
    .andWhere({ status: 'received' })
    .update({
      status: 'processed',
      kind: byId((o) => o.kind),
      ticket_id: byId((o) => o.ticketId),
      from_address: byId((o) => o.fromAddress),
      subject: byId((o) => o.subject?.slice(0, 1000) ?? null),
      processed_at: at,
      error: null,
    });
  return changed === outcomes.length;
}

/** Sets a message aside with the reason; it is kept, shown to staff, and can be tried again. */
export async function markQuarantined(q: Q, id: number, error: string, at: string): Promise<void> {
  await q('inbound_mail')
    .where({ id, status: 'received' })
    .update({ status: 'quarantined', error: error.slice(0, 2000), processed_at: at });
}

/** Puts a quarantined message back in line for processing. */
export async function requeue(q: Q, id: number): Promise<boolean> {
  return (await q('inbound_mail').where({ id, status: 'quarantined' }).update({ status: 'received', attempts: 0 })) === 1;
}

/**
 * Counts a start of processing for messages still waiting. Committed before the work, so that a
 * message whose processing kills the process (not merely throws) is known when it comes round again.
 */
export async function countAttempt(q: Q, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await q('inbound_mail')
      .whereIn('id', ids.slice(i, i + 500))
      .andWhere({ status: 'received' })
      .update({ attempts: q.raw('attempts + 1') });
}

export type InboundSummary = Omit<InboundRow, 'raw'>;

/** Messages of one status, newest first, without their raw bytes. */
export async function listByStatus(q: Q, status: InboundStatus | 'ignored', limit = 100): Promise<InboundSummary[]> {
  const query = q('inbound_mail').orderBy('id', 'desc').limit(limit);
  if (status === 'ignored') query.where({ status: 'processed' }).whereIn('kind', ['auto_reply', 'bounce', 'own_address']);
  else query.where({ status });
  return (await query.select(
    'id',
    'dedupe_key',
    'message_id',
    'source',
    'mailbox',
    'uid',
    'size',
    'received_at',
    'status',
    'kind',
    'from_address',
    'subject',
    'ticket_id',
    'error',
    'attempts',
    'processed_at',
  )) as InboundSummary[];
}

export interface Checkpoint {
  uidValidity: string;
  lastUid: number;
}

export async function getCheckpoint(q: Q, mailbox: string): Promise<Checkpoint | null> {
  const row = (await q('mail_checkpoints').where({ mailbox }).first()) as { uid_validity: string; last_uid: number } | undefined;
  return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : null;
}

/** Records how far intake got; never moves backwards within one UIDVALIDITY. */
export async function saveCheckpoint(q: Q, mailbox: string, checkpoint: Checkpoint, at: string): Promise<void> {
  await q('mail_checkpoints')
    .insert({ mailbox, uid_validity: checkpoint.uidValidity, last_uid: checkpoint.lastUid, updated_at: at })
    .onConflict('mailbox')
    .merge({
      uid_validity: checkpoint.uidValidity,
      last_uid: q.raw(
        'CASE WHEN mail_checkpoints.uid_validity = ? AND mail_checkpoints.last_uid > ? THEN mail_checkpoints.last_uid ELSE ? END',
        [checkpoint.uidValidity, checkpoint.lastUid, checkpoint.lastUid],
      ),
      updated_at: at,
    });
}

/** The ticket that sent or received any of these Message-IDs; the first id that matches wins. */
export async function ticketIdForMessageIds(q: Q, messageIds: string[]): Promise<number | null> {
  if (messageIds.length === 0) return null;
  const ids = messageIds.slice(0, 100);
  const known = (await q('ticket_messages').whereIn('message_id', ids).select('message_id', 'ticket_id')) as Array<{
    message_id: string;
    ticket_id: number;
  }>;
  const sent = (await q('outbox')
    .whereIn('message_id', ids)
    .whereNotNull('ticket_id')
    .select('message_id', 'ticket_id')) as Array<{
    message_id: string;
    ticket_id: number;
  }>;
  const byId = new Map([...sent, ...known].map((r) => [r.message_id, r.ticket_id]));
  for (const id of ids) {
    const ticketId = byId.get(id);
    if (ticketId !== undefined) return ticketId;
  }
  return null;
}

// An address whose mail failed this many times is not sent automatic mail any more.
export const UNDELIVERABLE_AFTER = 3;

/** Records a delivery failure against the address it concerns; repeated hard failures mark it undeliverable. */
export async function recordBounce(
  q: Q,
  bounce: { address: string; inboundMailId: number; action: string | null; status: string | null; diagnostic: string | null },
  at: string,
): Promise<void> {
  const address = bounce.address.toLowerCase();
  await q('mail_bounces').insert({
    address,
    inbound_mail_id: bounce.inboundMailId,
    action: bounce.action,
    status: bounce.status,
    diagnostic: bounce.diagnostic?.slice(0, 2000) ?? null,
    created_at: at,
  });
  // A delay is only a warning; a failure (or a bounce that does not say) counts, but only for an
  // address the helpdesk has written to: a forged report must not silence mail to a stranger.
  if (bounce.action && bounce.action.toLowerCase() !== 'failed') return;
  if (!(await q('outbox').where({ to_address: address }).first('id'))) return;
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
    q('mail_bounces').where({ address: lower }).orderBy('id', 'desc').limit(10) as Promise<
      Array<{ action: string | null; status: string | null; diagnostic: string | null; created_at: string }>
    >,
  ]);
  return {
    undeliverable: Boolean(state?.undeliverable),
    hardBounces: state?.hard_bounces ?? 0,
    bounces: bounces.map((b) => ({ action: b.action, status: b.status, diagnostic: b.diagnostic, createdAt: b.created_at })),
  };
}

export async function insertAttachments(
  q: Q,
  rows: Array<{
    ticketId: number | null;
    inboundMailId: number;
    filename: string;
    contentType: string;
    size: number;
    content: Buffer | null;
    refusedReason: string | null;
  }>,
  at: string,
): Promise<void> {
  if (rows.length === 0) return;
  await q('mail_attachments').insert(
    rows.map((r) => ({
      ticket_id: r.ticketId,
      inbound_mail_id: r.inboundMailId,
      filename: r.filename.slice(0, 300),
      content_type: r.contentType.slice(0, 200),
      size: r.size,
      content: r.content,
      refused_reason: r.refusedReason,
      created_at: at,
    })),
  );
}

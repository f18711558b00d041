import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

export type InboundStatus = 'received' | 'processed' | 'quarantined';
export type InboundKind = 'new' | 'reply' | 'auto_reply' | 'bounce' | 'own_address' | 'list';

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
  content_hash: string | null;
  /** Set when the message arrived with the Message-ID of this earlier, different message. */
  duplicate_of: number | null;
  kind_reason: string | null;
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

/** How a message was handled, as recorded on its row. */
export interface ProcessedOutcome {
  kind: InboundKind;
  ticketId: number | null;
  fromAddress: string | null;
  subject: string | null;
  /** Why it was sorted so (a list's List-Id), when it says. */
  reason?: string | null;
}

/** Marks a message done; only a message still waiting is changed, so processing twice does nothing twice. */
export async function markProcessed(q: Q, id: number, outcome: ProcessedOutcome, at: string): Promise<boolean> {
  const changed = await q('inbound_mail')
    .where({ id, status: 'received' })
    .update({
      status: 'processed',
      kind: outcome.kind,
      ticket_id: outcome.ticketId,
      from_address: outcome.fromAddress,
      subject: outcome.subject?.slice(0, 1000) ?? null,
      kind_reason: outcome.reason?.slice(0, 300) ?? null,
      processed_at: at,
      error: null,
    });
  return changed === 1;
}

/** Marks many messages done in one statement; false (and nothing may be kept) unless every one was still waiting. */
export async function markProcessedMany(q: Q, outcomes: Array<ProcessedOutcome & { id: number }>, at: string): Promise<boolean> {
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
    'content_hash',
    'duplicate_of',
    'kind_reason',
  )) as InboundSummary[];
}

/** A stored message as a staff list shows it. */
export type MailListing = Pick<
  InboundRow,
  'id' | 'received_at' | 'status' | 'from_address' | 'subject' | 'ticket_id' | 'kind_reason'
>;

const LISTING_COLUMNS = ['id', 'received_at', 'status', 'from_address', 'subject', 'ticket_id', 'kind_reason'];

/** How many list messages are set aside and not made a ticket yet (the page lists the newest). */
export async function countListMailWaiting(q: Q): Promise<number> {
  const row = (await q('inbound_mail')
    .where({ status: 'processed', kind: 'list' })
    .whereNull('ticket_id')
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** List mail set aside for staff (not made a ticket yet), newest first. */
export async function listMailWaiting(q: Q, limit = 100): Promise<MailListing[]> {
  return (await q('inbound_mail')
    .where({ status: 'processed', kind: 'list' })
    .whereNull('ticket_id')
    .orderBy('id', 'desc')
    .limit(limit)
    .select(LISTING_COLUMNS)) as MailListing[];
}

/** Messages that arrived with the Message-ID of an earlier, different message, newest first, each with that one. */
export async function listReusedMessageIds(
  q: Q,
  limit = 30,
): Promise<Array<MailListing & { message_id: string | null; earlier: MailListing | null }>> {
  const rows = (await q('inbound_mail')
    .whereNotNull('duplicate_of')
    .orderBy('id', 'desc')
    .limit(limit)
    .select([...LISTING_COLUMNS, 'message_id', 'duplicate_of'])) as Array<
    MailListing & { message_id: string | null; duplicate_of: number }
  >;
  const earlierIds = [...new Set(rows.map((r) => r.duplicate_of))];
  const earlier = new Map(
    ((await q('inbound_mail').whereIn('id', earlierIds).select(LISTING_COLUMNS)) as MailListing[]).map((r) => [r.id, r]),
  );
  return rows.map(({ duplicate_of: earlierId, ...row }) => ({ ...row, earlier: earlier.get(earlierId) ?? null }));
}

/** Records the ticket staff made of a list message; false when it is not list mail waiting (made already). */
export async function attachListTicket(q: Q, id: number, ticketId: number): Promise<boolean> {
  return (
    (await q('inbound_mail')
      .where({ id, status: 'processed', kind: 'list' })
      .whereNull('ticket_id')
      .update({ ticket_id: ticketId })) === 1
  );
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

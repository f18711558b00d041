import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

export type OutboxKind =
  | 'acknowledgement'
  | 'refusal'
  | 'staff_reply'
  | 'attachment_refused'
  | 'callback_confirmation'
  | 'callback_changed'
  | 'callback_cancelled'
  | 'callback_reminder'
  | 'staff_alert'
  | 'staff_notification'
  | 'outage_receipt';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** A message ready to queue: rendered, addressed, with its thread headers. */
export interface OutgoingMail {
  kind: OutboxKind;
  /** Makes queuing idempotent: a second message with the same key is not queued (a job run twice). */
  dedupeKey?: string;
  ticketId?: number | null;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Sent by the helpdesk on its own (Auto-Submitted: auto-replied, counted against the per-address cap). */
  automatic: boolean;
  attachments?: OutgoingAttachment[];
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  ticket_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  in_reply_to: string | null;
  references: string | null;
  automatic: number | boolean;
  attachments: string | null;
  status: OutboxStatus;
  suppressed_reason: string | null;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A message to store in the outbox, with the status queuing gave it. */
export interface OutgoingRow {
  mail: OutgoingMail;
  status: 'pending' | 'suppressed';
  suppressedReason: string | null;
}

// Rows and list items per statement, well under SQLite's limit on bound variables.
const CHUNK = 500;

/** Runs `query` over `items` in chunks and concatenates the results. */
async function chunked<T, R>(items: T[], query: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await query(items.slice(i, i + CHUNK))));
  return out;
}

/**
 * Queues messages; one with the dedupe key of a message already queued is left out. Returns the
 * Message-IDs of the messages stored.
 */
export async function insertOutgoing(q: Q, rows: OutgoingRow[], at: string): Promise<Set<string>> {
  const inserted = await chunked(
    rows,
    async (part) =>
      (await q('outbox')
        .insert(
          part.map(({ mail, status, suppressedReason }) => ({
            kind: mail.kind,
            dedupe_key: mail.dedupeKey ?? null,
            ticket_id: mail.ticketId ?? null,
            to_address: mail.to.toLowerCase(),
            subject: mail.subject,
            text_body: mail.text,
            html_body: mail.html,
            message_id: mail.messageId,
            in_reply_to: mail.inReplyTo ?? null,
            references: mail.references && mail.references.length > 0 ? mail.references.join(' ') : null,
            automatic: mail.automatic,
            attachments: mail.attachments ? JSON.stringify(mail.attachments) : null,
            status,
            suppressed_reason: suppressedReason,
            next_attempt_at: at,
            created_at: at,
          })),
        )
        .onConflict('dedupe_key')
        .ignore()
        .returning('message_id')) as Array<{ message_id: string }>,
  );
  return new Set(inserted.map((r) => r.message_id));
}

/** Of `keys`, the dedupe keys of messages already queued. */
export async function queuedDedupeKeys(q: Q, keys: string[]): Promise<Set<string>> {
  const found = await chunked(keys, (part) => q('outbox').whereIn('dedupe_key', part).pluck('dedupe_key') as Promise<string[]>);
  return new Set(found);
}

/** Of `addresses` (lower case), those marked undeliverable. */
export async function undeliverableAmong(q: Q, addresses: string[]): Promise<Set<string>> {
  const found = await chunked(
    addresses,
    (part) =>
      q('mail_addresses').whereIn('address', part).andWhere({ undeliverable: true }).pluck('address') as Promise<string[]>,
  );
  return new Set(found);
}

/** Automatic messages queued to each of `addresses` (lower case) since `since` (the loop breaker counts them). */
export async function countAutomaticSince(q: Q, addresses: string[], since: string): Promise<Map<string, number>> {
  const rows = await chunked(
    addresses,
    (part) =>
      q('outbox')
        .whereIn('to_address', part)
        .andWhere({ automatic: true })
        .andWhere('created_at', '>=', since)
        .whereNot({ status: 'suppressed' })
        .groupBy('to_address')
        .select('to_address', q.raw('count(*) as n')) as Promise<Array<{ to_address: string; n: number | string }>>,
  );
  return new Map(rows.map((r) => [r.to_address, Number(r.n)]));
}

/**
 * Claims up to `limit` messages that are due: pending ones, and ones whose sender stopped mid-delivery
 * (claim expired). The claim is a conditional update, so two senders never hold the same message.
 */
export async function claimDue(q: Q, at: string, claimUntil: string, limit: number): Promise<OutboxRow[]> {
  const candidates = (await q('outbox')
    .where((w) => w.where({ status: 'pending' }).andWhere('next_attempt_at', '<=', at))
    .orWhere((w) => w.where({ status: 'sending' }).andWhere('claimed_until', '<', at))
    .orderBy('id')
    .limit(limit)
    .select('id', 'status', 'claimed_until')) as Array<{ id: number; status: OutboxStatus; claimed_until: string | null }>;
  const claimed: OutboxRow[] = [];
  for (const c of candidates) {
    const changed = await q('outbox')
      .where({ id: c.id, status: c.status })
      .andWhere((w) => (c.claimed_until ? w.where({ claimed_until: c.claimed_until }) : w.whereNull('claimed_until')))
      .update({ status: 'sending', claimed_until: claimUntil, attempts: q.raw('attempts + 1') });
    if (changed === 1) claimed.push((await q('outbox').where({ id: c.id }).first()) as OutboxRow);
  }
  return claimed;
}

export async function markSent(q: Q, id: number, at: string): Promise<void> {
  await q('outbox')
    .where({ id, status: 'sending' })
    .update({ status: 'sent', sent_at: at, claimed_until: null, last_error: null });
}

/** Puts a message back for a later attempt, or gives up (`failed`) when `retryAt` is null. */
export async function markAttemptFailed(q: Q, id: number, error: string, retryAt: string | null): Promise<void> {
  await q('outbox')
    .where({ id, status: 'sending' })
    .update(
      retryAt
        ? { status: 'pending', next_attempt_at: retryAt, claimed_until: null, last_error: error }
        : { status: 'failed', claimed_until: null, last_error: error },
    );
}

export async function countByStatus(q: Q): Promise<Record<string, number>> {
  const rows = (await q('outbox').select('status').count({ n: '*' }).groupBy('status')) as Array<{
    status: string;
    n: number | string;
  }>;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * The Message-IDs in a ticket's thread, each list oldest first: those stored with its messages (the
 * filer's and staff's) and those of mail queued for it (suppressed mail, never sent, left out).
 */
export async function ticketThreadMessageIds(q: Q, ticketId: number) {
  const stored = (await q('ticket_messages')
    .where({ ticket_id: ticketId })
    .whereNotNull('message_id')
    .orderBy('id')
    .select('message_id', 'direction', 'created_at')) as Array<{ message_id: string; direction: string; created_at: string }>;
  const queued = (await q('outbox')
    .where({ ticket_id: ticketId })
    .whereNot({ status: 'suppressed' })
    .orderBy('id')
    .select('message_id', 'created_at')) as Array<{ message_id: string; created_at: string }>;
  return { stored, queued };
}

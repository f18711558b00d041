import { LRUCache } from 'lru-cache';
import type { Knex } from 'knex';
import type { CaseNumber } from '../case-numbers/find-case-numbers';
import { dialectOf } from '../db/dialect';
import { sanitizeEmailHtml } from '../mail/inbound/sanitize-email-html';
import { formatReference } from './reference';
import type { Channel, Ticket, TicketMessage, TicketStatus } from './ticket.types';

type Q = Knex | Knex.Transaction;

interface TicketRow {
  id: number;
  reference_year: number;
  status: TicketStatus;
  channel: Channel;
  subject: string;
  requester_name: string;
  requester_email: string;
  requester_phone: string | null;
  flags: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  assignee_id: number | null;
  version: number;
  merged_into_id: number | null;
  first_response_due_at: string | null;
  first_response_at: string | null;
  policy_reasons: string;
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    reference: formatReference(row.reference_year, row.id),
    status: row.status,
    channel: row.channel,
    subject: row.subject,
    requesterName: row.requester_name,
    requesterEmail: row.requester_email,
    requesterPhone: row.requester_phone,
    flags: JSON.parse(row.flags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    assigneeId: row.assignee_id,
    version: row.version,
    mergedIntoId: row.merged_into_id,
    firstResponseDueAt: row.first_response_due_at,
    firstResponseAt: row.first_response_at,
    policyReasons: JSON.parse(row.policy_reasons ?? '[]') as Array<{ rule: string; excerpt: string }>,
  };
}

export interface TicketEvent {
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  createdAt: string;
}

function eventRow(ticketId: number, event: TicketEvent) {
  return {
    ticket_id: ticketId,
    actor: event.actor,
    action: event.action,
    before: event.before === undefined ? null : JSON.stringify(event.before),
    after: event.after === undefined ? null : JSON.stringify(event.after),
    created_at: event.createdAt,
  };
}

function caseNumberRows(ticketId: number, caseNumbers: CaseNumber[]) {
  return caseNumbers.map((c) => ({
    ticket_id: ticketId,
    number: c.number,
    office: c.office,
    year: c.year,
    type: c.type,
    sequence: c.sequence,
    judge_initials: JSON.stringify(c.judgeInitials),
    defendant: c.defendant ?? null,
  }));
}

/** A new ticket with everything stored alongside it. */
export interface NewTicketRecord {
  referenceYear: number;
  channel: Channel;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  requesterPhone: string | null;
  statusTokenHash: string;
  flags: string[];
  status: 'new' | 'rejected';
  policyReasons: Array<{ rule: string; excerpt: string }>;
  createdAt: string;
  firstResponseDueAt: string | null;
  firstMessage: NewMessage;
  caseNumbers: CaseNumber[];
  /** What masking replaced, kept for administrators. */
  originals: { subject?: string; body?: string };
}

/** The columns of a new ticket's own row (the intake view sets updated_at itself). */
function ticketColumns(r: NewTicketRecord) {
  return {
    reference_year: r.referenceYear,
    status: r.status,
    policy_reasons: JSON.stringify(r.policyReasons),
    channel: r.channel,
    subject: r.subject,
    requester_name: r.requesterName,
    requester_email: r.requesterEmail,
    requester_phone: r.requesterPhone,
    status_token_hash: r.statusTokenHash,
    flags: JSON.stringify(r.flags),
    created_at: r.createdAt,
    first_response_due_at: r.firstResponseDueAt,
  };
}

/**
 * Inserts new tickets with their first message and case numbers, one multi-row insert per table;
 * returns the ids in the order of `records`. The ticket row itself records the creation (when, by
 * which channel), so history rows start with the first change.
 */
export async function insertNewTickets(q: Q, records: NewTicketRecord[]): Promise<number[]> {
  if (dialectOf(q).writesTicketsThroughIntakeView) return insertThroughIntakeView(q, records);
  const inserted = (await q('tickets')
    .insert(records.map((r) => ({ ...ticketColumns(r), updated_at: r.createdAt })))
    .returning(['id', 'status_token_hash'])) as Array<{ id: number; status_token_hash: string }>;
  // RETURNING order is not guaranteed for multi-row inserts: match rows by their unique token hash.
  const idByHash = new Map(inserted.map((row) => [row.status_token_hash, row.id]));
  const ids = records.map((r) => idByHash.get(r.statusTokenHash) as number);
  const messages = (await q('ticket_messages')
    .insert(records.map((r, i) => messageRow(ids[i], r.firstMessage)))
    .returning(['id', 'ticket_id'])) as Array<{ id: number; ticket_id: number }>;
  const messageOf = new Map(messages.map((m) => [m.ticket_id, m.id]));
  const originals = records.flatMap((r, i) =>
    (['subject', 'body'] as const)
      .filter((field) => r.originals[field] !== undefined)
      .map((field) => ({
        ticket_id: ids[i],
        message_id: field === 'body' ? messageOf.get(ids[i]) : null,
        field,
        original: r.originals[field] as string,
        created_at: r.createdAt,
      })),
  );
  if (originals.length > 0) await q('private_originals').insert(originals);
  const caseRows = records.flatMap((r, i) => caseNumberRows(ids[i], r.caseNumbers));
  if (caseRows.length > 0) await q('ticket_case_numbers').insert(caseRows);
  return ids;
}

// Bound variables per row of the intake view; SQLite allows 32,766 per statement.
const INTAKE_CHUNK = 500;

/**
 * Writes a batch of new tickets atomically; `take` hands over the batch once the write can begin.
 * SQLite: one statement, atomic on its own, so no transaction and one round trip to the database.
 * PostgreSQL: the table-by-table inserts in one transaction.
 */
export async function writeNewTickets(db: Knex, take: () => NewTicketRecord[]): Promise<number[]> {
  if (dialectOf(db).writesTicketsThroughIntakeView) {
    const records = take();
    // Beyond one statement's worth, the statements need a transaction to be one write.
    return records.length <= INTAKE_CHUNK
      ? insertThroughIntakeView(db, records)
      : db.transaction((trx) => insertNewTickets(trx, records));
  }
  return db.transaction((trx) => insertNewTickets(trx, take()));
}

/**
 * SQLite: each request is one row of the `ticket_intake` view, which a trigger spreads over tickets,
 * messages, case numbers and originals. One statement per 500 requests; it returns each new ticket's
 * id, looked up by its unique token hash once the trigger has run for the row.
 */
async function insertThroughIntakeView(q: Q, records: NewTicketRecord[]): Promise<number[]> {
  const rows = records.map((r) => ({
    ...ticketColumns(r),
    message_direction: r.firstMessage.direction,
    message_author: r.firstMessage.author,
    message_id: r.firstMessage.messageId,
    message_body: r.firstMessage.bodyText,
    message_inbound_mail_id: r.firstMessage.inboundMailId ?? null,
    message_from_address: r.firstMessage.fromAddress ?? null,
    message_subject: r.firstMessage.subject ?? null,
    message_html_received: r.firstMessage.htmlReceived ?? null,
    case_numbers: JSON.stringify(caseNumberRows(0, r.caseNumbers)),
    original_subject: r.originals.subject ?? null,
    original_body: r.originals.body ?? null,
  }));
  const idByHash = new Map<string, number | null>();
  for (let i = 0; i < rows.length; i += INTAKE_CHUNK) {
    const insert = q('ticket_intake')
      .insert(rows.slice(i, i + INTAKE_CHUNK))
      .toSQL()
      .toNative();
    // RETURNING rows come in no promised order: each carries its token hash.
    const returned = (await q.raw(
      `${insert.sql} RETURNING ticket_intake.status_token_hash AS hash, (SELECT tickets.id FROM tickets WHERE tickets.status_token_hash = ticket_intake.status_token_hash) AS id`,
      insert.bindings as Knex.RawBinding[],
    )) as Array<{ hash: string; id: number | null }>;
    for (const r of returned) idByHash.set(r.hash, r.id);
  }
  const ids = records.map((r) => idByHash.get(r.statusTokenHash) ?? null);
  if (ids.every((id) => id !== null)) return ids as number[];
  // An SQLite that computed RETURNING before running the trigger would return no ids (the one in the
  // lockfile runs it after, as the tests check): look them up instead.
  const found = (await q('tickets')
    .whereIn(
      'status_token_hash',
      records.map((r) => r.statusTokenHash),
    )
    .select('id', 'status_token_hash')) as Array<{ id: number; status_token_hash: string }>;
  const foundByHash = new Map(found.map((row) => [row.status_token_hash, row.id]));
  return records.map((r) => foundByHash.get(r.statusTokenHash) as number);
}

export type NewMessage = Omit<TicketMessage, 'id' | 'internal' | 'authorStaffId' | 'htmlClean'> & {
  internal?: boolean;
  authorStaffId?: number | null;
  /** Email only: the HTML part as received (sanitised when read back, see listMessages). */
  htmlReceived?: string | null;
  /** Email only: the stored raw message this came from, and its subject. */
  inboundMailId?: number | null;
  subject?: string | null;
};

function messageRow(ticketId: number, message: NewMessage) {
  return {
    ticket_id: ticketId,
    direction: message.direction,
    author: message.author,
    message_id: message.messageId,
    body_text: message.bodyText,
    created_at: message.createdAt,
    internal: message.internal ?? false,
    author_staff_id: message.authorStaffId ?? null,
    inbound_mail_id: message.inboundMailId ?? null,
    from_address: message.fromAddress ?? null,
    subject: message.subject ?? null,
    html_received: message.htmlReceived ?? null,
  };
}

/** Adds a message; `original` is the unmasked text when masking changed it (kept for administrators). */
export async function insertMessage(q: Q, ticketId: number, message: NewMessage, original?: string): Promise<number> {
  const [row] = (await q('ticket_messages').insert(messageRow(ticketId, message)).returning('id')) as Array<{ id: number }>;
  if (original !== undefined) {
    await q('private_originals').insert({
      ticket_id: ticketId,
      message_id: row.id,
      field: 'body',
      original,
      created_at: message.createdAt,
    });
  }
  return row.id;
}

/** Adds flags to a ticket (a JSON list), keeping those it has. */
export async function addFlags(q: Q, ticketId: number, flags: string[]): Promise<void> {
  if (flags.length === 0) return;
  const row = (await q('tickets').where({ id: ticketId }).first('flags')) as { flags: string } | undefined;
  if (!row) return;
  const merged = [...new Set([...(JSON.parse(row.flags) as string[]), ...flags])];
  await q('tickets')
    .where({ id: ticketId })
    .update({ flags: JSON.stringify(merged) });
}

/** The unmasked originals of a ticket, for administrators only. */
export async function listOriginals(
  q: Q,
  ticketId: number,
): Promise<Array<{ messageId: number | null; field: string; original: string }>> {
  const rows = (await q('private_originals').where({ ticket_id: ticketId }).orderBy('id')) as Array<{
    message_id: number | null;
    field: string;
    original: string;
  }>;
  return rows.map((r) => ({ messageId: r.message_id, field: r.field, original: r.original }));
}

/** Appends to the ticket's history; rows are never updated or deleted. */
export async function appendEvent(q: Q, ticketId: number, event: TicketEvent): Promise<void> {
  await q('ticket_events').insert(eventRow(ticketId, event));
}

export async function findTicketByTokenHash(q: Q, hash: string): Promise<Ticket | undefined> {
  const row = (await q('tickets').where({ status_token_hash: hash }).first()) as TicketRow | undefined;
  return row && toTicket(row);
}

/** Stored email HTML as staff may see it: sanitised and masked. */
// Cleaning and masking a large email takes milliseconds, and staff open the same thread again and
// again: each result is kept by its HTML, so a stricter sanitiser still applies from the next start.
const cleaned = new LRUCache<string, string>({
  maxSize: 32 * 1024 * 1024,
  sizeCalculation: (value, key) => value.length + key.length,
});

function htmlForStaff(html: string | null): string | null {
  if (html === null) return null;
  let clean = cleaned.get(html);
  if (clean === undefined) {
    clean = sanitizeEmailHtml(html);
    cleaned.set(html, clean);
  }
  return clean;
}

/** The thread of a ticket, oldest first; staff notes only when `includeInternal`. */
export async function listMessages(q: Q, ticketId: number, includeInternal = false): Promise<TicketMessage[]> {
  const query = q('ticket_messages').where({ ticket_id: ticketId }).orderBy('id');
  if (!includeInternal) query.andWhere({ internal: false });
  const rows = (await query) as Array<{
    id: number;
    direction: 'in' | 'out';
    author: 'requester' | 'staff' | 'system';
    message_id: string | null;
    body_text: string;
    created_at: string;
    internal: number | boolean;
    author_staff_id: number | null;
    from_address: string | null;
    html_clean: string | null;
    html_received: string | null;
    inbound_mail_id: number | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    author: r.author,
    messageId: r.message_id,
    bodyText: r.body_text,
    createdAt: r.created_at,
    internal: Boolean(r.internal),
    authorStaffId: r.author_staff_id,
    fromAddress: r.from_address,
    // Email HTML reaches callers only sanitised and masked: kept as received, cleaned here by today's
    // rules (html_clean holds what intake cleaned, unmasked, before it kept the HTML as received).
    htmlClean: htmlForStaff(r.html_clean ?? r.html_received),
    inboundMailId: r.inbound_mail_id,
  }));
}

export async function findTicketById(q: Q, id: number): Promise<Ticket | undefined> {
  const row = (await q('tickets').where({ id }).first()) as TicketRow | undefined;
  return row && toTicket(row);
}

/** Applies `changes` and raises the version, only if the ticket is still at `version`. */
export async function updateIfVersion(q: Q, id: number, version: number, changes: Record<string, unknown>): Promise<boolean> {
  const changed = await q('tickets')
    .where({ id, version })
    .update({ ...changes, version: version + 1 });
  return changed === 1;
}

export interface HistoryEntry {
  id: number;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export async function listEvents(q: Q, ticketId: number): Promise<HistoryEntry[]> {
  const rows = (await q('ticket_events').where({ ticket_id: ticketId }).orderBy('id')) as Array<{
    id: number;
    actor: string;
    action: string;
    before: string | null;
    after: string | null;
    created_at: string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    before: r.before ? (JSON.parse(r.before) as unknown) : null,
    after: r.after ? (JSON.parse(r.after) as unknown) : null,
    createdAt: r.created_at,
  }));
}

export async function listCaseNumbers(q: Q, ticketId: number): Promise<CaseNumber[]> {
  const rows = (await q('ticket_case_numbers').where({ ticket_id: ticketId }).orderBy('number')) as Array<{
    number: string;
    office: number | null;
    year: number | null;
    type: string | null;
    sequence: number;
    judge_initials: string;
    defendant: number | null;
  }>;
  return rows.map((r) => {
    const c: CaseNumber = {
      number: r.number,
      office: r.office,
      year: r.year,
      type: r.type,
      sequence: r.sequence,
      judgeInitials: JSON.parse(r.judge_initials) as string[],
    };
    if (r.defendant !== null) c.defendant = r.defendant;
    return c;
  });
}

/** Sets the status, only when it is still `from` (so two writers cannot both move it). */
export async function updateStatus(q: Q, id: number, from: TicketStatus, to: TicketStatus, at: string): Promise<boolean> {
  const changed = await q('tickets')
    .where({ id, status: from })
    .update({ status: to, updated_at: at, closed_at: to === 'closed' ? at : null, version: q.raw('version + 1') });
  return changed === 1;
}

export async function touchTicket(q: Q, id: number, at: string): Promise<void> {
  await q('tickets')
    .where({ id })
    .update({ updated_at: at, version: q.raw('version + 1') });
}

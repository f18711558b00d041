import { LRUCache } from 'lru-cache';
import type { Knex } from 'knex';
import type { CaseNumber } from '../case-numbers/find-case-numbers';
import { sanitizeEmailHtml } from '../mail/inbound/sanitize-email-html';
import { isLanguage, type Language } from '../i18n/i18n';
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
  topic: string | null;
  language?: string | null;
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
    topic: row.topic ?? null,
    language: isLanguage(row.language) ? row.language : null,
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
  /** The proposed topic (an FAQ category id), from the request's best FAQ match; null without one. */
  topic?: string | null;
  /** The language the request is answered in (en | es), chosen at intake (see intakeLanguage). */
  language?: Language | null;
}

// Rows per INSERT statement: SQLite's knex client writes a multi-row insert as a compound SELECT,
// which may hold at most 500 terms.
const ROWS_PER_INSERT = 200;

/** Inserts `rows` into `table`, several rows a statement; the `returning` columns of every row. */
async function insertRows<R>(q: Q, table: string, rows: object[], returning: string[] = []): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const insert = q(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
    if (returning.length === 0) await insert;
    else out.push(...((await insert.returning(returning)) as R[]));
  }
  return out;
}

/**
 * Inserts new tickets with their first message and case numbers, a few multi-row inserts per table;
 * returns the ids in the order of `records`. The ticket row itself records the creation (when, by
 * which channel), so history rows start with the first change.
 */
export async function insertNewTickets(q: Q, records: NewTicketRecord[]): Promise<number[]> {
  const inserted = await insertRows<{ id: number; status_token_hash: string }>(
    q,
    'tickets',
    records.map((r) => ({
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
      updated_at: r.createdAt,
      first_response_due_at: r.firstResponseDueAt,
      // Left out when there is none (the column's default): a test that writes into an older schema still can.
      ...(r.topic ? { topic: r.topic } : {}),
      language: r.language ?? null,
    })),
    ['id', 'status_token_hash'],
  );
  // RETURNING order is not guaranteed for multi-row inserts: match rows by their unique token hash.
  const idByHash = new Map(inserted.map((row) => [row.status_token_hash, row.id]));
  const ids = records.map((r) => idByHash.get(r.statusTokenHash) as number);
  const messages = await insertRows<{ id: number; ticket_id: number }>(
    q,
    'ticket_messages',
    records.map((r, i) => messageRow(ids[i], r.firstMessage)),
    ['id', 'ticket_id'],
  );
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
  await insertRows(q, 'private_originals', originals);
  await insertRows(
    q,
    'ticket_case_numbers',
    records.flatMap((r, i) => caseNumberRows(ids[i], r.caseNumbers)),
  );
  return ids;
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

interface OriginalRow {
  ticket_id: number;
  message_id: number | null;
  field: string;
  original: string;
}

const toOriginal = (r: OriginalRow) => ({ messageId: r.message_id, field: r.field, original: r.original });

/** The unmasked originals of a ticket, for administrators only. */
export async function listOriginals(
  q: Q,
  ticketId: number,
): Promise<Array<{ messageId: number | null; field: string; original: string }>> {
  return ((await q('private_originals').where({ ticket_id: ticketId }).orderBy('id')) as OriginalRow[]).map(toOriginal);
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

interface MessageRow {
  id: number;
  ticket_id: number;
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
}

function toMessage(r: MessageRow): TicketMessage {
  return {
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
  };
}

/** The thread of a ticket, oldest first; staff notes only when `includeInternal`. */
export async function listMessages(q: Q, ticketId: number, includeInternal = false): Promise<TicketMessage[]> {
  const query = q('ticket_messages').where({ ticket_id: ticketId }).orderBy('id');
  if (!includeInternal) query.andWhere({ internal: false });
  return ((await query) as MessageRow[]).map(toMessage);
}

export async function findTicketById(q: Q, id: number): Promise<Ticket | undefined> {
  const row = (await q('tickets').where({ id }).first()) as TicketRow | undefined;
  return row && toTicket(row);
}

/** The tickets with these ids (at most a few hundred), in id order; ids of no ticket are left out. */
export async function findTicketsByIds(q: Q, ids: number[]): Promise<Ticket[]> {
  return ((await q('tickets').whereIn('id', ids).orderBy('id')) as TicketRow[]).map(toTicket);
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

interface EventRow {
  id: number;
  ticket_id: number;
  actor: string;
  action: string;
  before: string | null;
  after: string | null;
  created_at: string;
}

function toHistoryEntry(r: EventRow): HistoryEntry {
  return {
    id: r.id,
    actor: r.actor,
    action: r.action,
    before: r.before ? (JSON.parse(r.before) as unknown) : null,
    after: r.after ? (JSON.parse(r.after) as unknown) : null,
    createdAt: r.created_at,
  };
}

export async function listEvents(q: Q, ticketId: number): Promise<HistoryEntry[]> {
  return ((await q('ticket_events').where({ ticket_id: ticketId }).orderBy('id')) as EventRow[]).map(toHistoryEntry);
}

interface CaseNumberRow {
  ticket_id: number;
  number: string;
  office: number | null;
  year: number | null;
  type: string | null;
  sequence: number;
  judge_initials: string;
  defendant: number | null;
}

function toCaseNumber(r: CaseNumberRow): CaseNumber {
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
}

export async function listCaseNumbers(q: Q, ticketId: number): Promise<CaseNumber[]> {
  return ((await q('ticket_case_numbers').where({ ticket_id: ticketId }).orderBy('number')) as CaseNumberRow[]).map(toCaseNumber);
}

/** Sets the status, only when it is still `from` (so two writers cannot both move it). */
export async function updateStatus(q: Q, id: number, from: TicketStatus, to: TicketStatus, at: string): Promise<boolean> {
  const changed = await q('tickets')
    .where({ id, status: from })
    .update({ status: to, updated_at: at, closed_at: to === 'closed' ? at : null, version: q.raw('version + 1') });
  return changed === 1;
}

/**
 * A merge: the messages of ticket `fromId` (with their files) move to `intoId`, and its case numbers are copied there
 * (each once). The database's full-text index follows the moved messages by itself.
 */
export async function moveMessagesAndCaseNumbers(q: Q, fromId: number, intoId: number): Promise<void> {
  await q('ticket_messages').where({ ticket_id: fromId }).update({ ticket_id: intoId });
  // Files go with the messages they came with, so the ticket they went into lists them.
  await q('mail_attachments').where({ ticket_id: fromId }).update({ ticket_id: intoId });
  const cases = (await q('ticket_case_numbers').where({ ticket_id: fromId })) as Array<Record<string, unknown>>;
  for (const row of cases)
    await q('ticket_case_numbers')
      .insert({ ...row, ticket_id: intoId })
      .onConflict(['ticket_id', 'number'])
      .ignore();
}

export async function touchTicket(q: Q, id: number, at: string): Promise<void> {
  await q('tickets')
    .where({ id })
    .update({ updated_at: at, version: q.raw('version + 1') });
}

/** Notes that a staff member has the ticket open (the page shows who else is looking at it). */
export async function recordViewer(q: Q, ticketId: number, userId: number, at: string): Promise<void> {
  await q('ticket_viewers')
    .insert({ ticket_id: ticketId, user_id: userId, seen_at: at })
    .onConflict(['ticket_id', 'user_id'])
    .merge({ seen_at: at });
}

/** The names of other staff who had the ticket open since `since`. */
export async function otherViewersSince(q: Q, ticketId: number, userId: number, since: string): Promise<string[]> {
  const rows = (await q('ticket_viewers as v')
    .join('staff_users as u', 'u.id', 'v.user_id')
    .where('v.ticket_id', ticketId)
    .andWhere('v.seen_at', '>', since)
    .andWhereNot('v.user_id', userId)
    .select('u.name')) as Array<{ name: string }>;
  return rows.map((row) => row.name);
}

/** A page of ticket ids after `afterId`, oldest first, optionally only those created since a time (for the export). */
export async function ticketIdsAfter(q: Q, afterId: number, options: { since?: string; limit: number }): Promise<number[]> {
  const query = q('tickets').where('id', '>', afterId).orderBy('id').limit(options.limit);
  if (options.since) query.andWhere('created_at', '>=', options.since);
  return ((await query.select('id')) as Array<{ id: number }>).map((row) => row.id);
}

/** How many tickets the export will print: all, or those created since a time (as ticketIdsAfter pages them). */
export async function countTickets(q: Q, options: { since?: string } = {}): Promise<number> {
  const query = q('tickets');
  if (options.since) query.where('created_at', '>=', options.since);
  const [row] = (await query.count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(row.n);
}

/** Everything the export prints about one ticket. */
export interface ExportedTicket {
  ticket: Ticket;
  messages: TicketMessage[];
  caseNumbers: CaseNumber[];
  history: HistoryEntry[];
  originals: Array<{ messageId: number | null; field: string; original: string }>;
}

/** Rows grouped by their ticket, in the order given. */
function byTicket<R extends { ticket_id: number }, T>(rows: R[], map: (row: R) => T): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.ticket_id);
    if (list) list.push(map(row));
    else grouped.set(row.ticket_id, [map(row)]);
  }
  return grouped;
}

/**
 * A page of the export: the tickets `ids` (a page from ticketIdsAfter) with their whole thread (staff
 * notes too), case numbers and history, and, when `unmasked`, what masking replaced. One query a
 * table for the page rather than one a ticket: the export of a large database is round trips.
 */
export async function ticketsForExport(q: Q, ids: number[], options: { unmasked: boolean }): Promise<ExportedTicket[]> {
  const [tickets, messages, caseNumbers, events, originals] = await Promise.all([
    q('tickets').whereIn('id', ids).orderBy('id') as Promise<TicketRow[]>,
    q('ticket_messages').whereIn('ticket_id', ids).orderBy(['ticket_id', 'id']) as Promise<MessageRow[]>,
    q('ticket_case_numbers').whereIn('ticket_id', ids).orderBy(['ticket_id', 'number']) as Promise<CaseNumberRow[]>,
    q('ticket_events').whereIn('ticket_id', ids).orderBy(['ticket_id', 'id']) as Promise<EventRow[]>,
    options.unmasked
      ? (q('private_originals').whereIn('ticket_id', ids).orderBy(['ticket_id', 'id']) as Promise<OriginalRow[]>)
      : Promise.resolve([]),
  ]);
  const messagesOf = byTicket(messages, toMessage);
  const caseNumbersOf = byTicket(caseNumbers, toCaseNumber);
  const historyOf = byTicket(events, toHistoryEntry);
  const originalsOf = byTicket(originals, toOriginal);
  return tickets.map((row) => ({
    ticket: toTicket(row),
    messages: messagesOf.get(row.id) ?? [],
    caseNumbers: caseNumbersOf.get(row.id) ?? [],
    history: historyOf.get(row.id) ?? [],
    originals: originalsOf.get(row.id) ?? [],
  }));
}

// Chunks of ids per statement, well under SQLite's limit on bound variables.
const IDS_PER_QUERY = 500;

/**
 * The history entries of these tickets that change their status (any that records a status after
 * it, and merges), oldest first, by ticket: what the resolution clock is computed from.
 */
export async function listStatusEvents(q: Q, ticketIds: number[]): Promise<Map<number, HistoryEntry[]>> {
  const rows: EventRow[] = [];
  for (let i = 0; i < ticketIds.length; i += IDS_PER_QUERY) {
    rows.push(
      ...((await q('ticket_events')
        .whereIn('ticket_id', ticketIds.slice(i, i + IDS_PER_QUERY))
        .andWhere((w) => w.where('after', 'like', '%"status"%').orWhere('action', 'merged'))
        .orderBy(['ticket_id', 'id'])) as EventRow[]),
    );
  }
  return byTicket(rows, toHistoryEntry);
}

/** Stores the business hours a ticket took to be resolved (null: it is not resolved now). */
export async function setResolutionHours(q: Q, id: number, hours: number | null): Promise<void> {
  await q('tickets').where({ id }).update({ resolution_business_hours: hours });
}

/**
 * Resolved or closed tickets whose time to resolve was never worked out (finished before it was
 * stored), oldest first. The condition is the partial index tickets_resolution_unmeasured's, literally.
 */
export async function listUnmeasuredResolutions(
  q: Q,
  limit: number,
): Promise<Array<{ id: number; createdAt: string; status: TicketStatus; finishedAt: string }>> {
  const rows = (await q('tickets')
    .select('id', 'created_at', 'status', 'closed_at', 'updated_at')
    .whereRaw("resolution_business_hours IS NULL AND status IN ('resolved', 'closed') AND merged_into_id IS NULL")
    .orderBy('id')
    .limit(limit)) as Array<{
    id: number;
    created_at: string;
    status: TicketStatus;
    closed_at: string | null;
    updated_at: string;
  }>;
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, status: r.status, finishedAt: r.closed_at ?? r.updated_at }));
}

/** Another request of the same requester, as the ticket page lists it. */
export interface RequesterTicket {
  id: number;
  reference: string;
  subject: string;
  status: TicketStatus;
  createdAt: string;
}

/**
 * The requester's other requests (the address in its stored form), newest first, at most `limit`;
 * merged duplicates are left out (their messages are on the ticket they went into).
 */
export async function listRequesterTickets(q: Q, email: string, exceptId: number, limit: number): Promise<RequesterTicket[]> {
  const rows = (await q('tickets')
    .where({ requester_email: email })
    .whereNot({ id: exceptId })
    .whereNull('merged_into_id')
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'reference_year', 'subject', 'status', 'created_at')) as Array<
    Pick<TicketRow, 'id' | 'reference_year' | 'subject' | 'status' | 'created_at'>
  >;
  return rows.map((r) => ({
    id: r.id,
    reference: formatReference(r.reference_year, r.id),
    subject: r.subject,
    status: r.status,
    createdAt: r.created_at,
  }));
}

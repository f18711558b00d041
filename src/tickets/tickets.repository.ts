import type { Knex } from 'knex';
import type { CaseNumber } from '../case-numbers/find-case-numbers';
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
  createdAt: string;
  firstMessage: Omit<TicketMessage, 'id'>;
  caseNumbers: CaseNumber[];
}

/**
 * Inserts new tickets with their first message and case numbers, one multi-row insert per table;
 * returns the ids in the order of `records`. The ticket row itself records the creation (when, by
 * which channel), so history rows start with the first change.
 */
export async function insertNewTickets(q: Q, records: NewTicketRecord[]): Promise<number[]> {
  const inserted = (await q('tickets')
    .insert(
      records.map((r) => ({
        reference_year: r.referenceYear,
        status: 'new',
        channel: r.channel,
        subject: r.subject,
        requester_name: r.requesterName,
        requester_email: r.requesterEmail,
        requester_phone: r.requesterPhone,
        status_token_hash: r.statusTokenHash,
        flags: JSON.stringify(r.flags),
        created_at: r.createdAt,
        updated_at: r.createdAt,
      })),
    )
    .returning(['id', 'status_token_hash'])) as Array<{ id: number; status_token_hash: string }>;
  // RETURNING order is not guaranteed for multi-row inserts: match rows by their unique token hash.
  const idByHash = new Map(inserted.map((row) => [row.status_token_hash, row.id]));
  const ids = records.map((r) => idByHash.get(r.statusTokenHash) as number);
  await q('ticket_messages').insert(records.map((r, i) => messageRow(ids[i], r.firstMessage)));
  const caseRows = records.flatMap((r, i) => caseNumberRows(ids[i], r.caseNumbers));
  if (caseRows.length > 0) await q('ticket_case_numbers').insert(caseRows);
  return ids;
}

function messageRow(ticketId: number, message: Omit<TicketMessage, 'id'>) {
  return {
    ticket_id: ticketId,
    direction: message.direction,
    author: message.author,
    message_id: message.messageId,
    body_text: message.bodyText,
    created_at: message.createdAt,
  };
}

export async function insertMessage(q: Q, ticketId: number, message: Omit<TicketMessage, 'id'>): Promise<void> {
  await q('ticket_messages').insert(messageRow(ticketId, message));
}

/** Appends to the ticket's history; rows are never updated or deleted. */
export async function appendEvent(q: Q, ticketId: number, event: TicketEvent): Promise<void> {
  await q('ticket_events').insert(eventRow(ticketId, event));
}

export async function findTicketByTokenHash(q: Q, hash: string): Promise<Ticket | undefined> {
  const row = (await q('tickets').where({ status_token_hash: hash }).first()) as TicketRow | undefined;
  return row && toTicket(row);
}

export async function listMessages(q: Q, ticketId: number): Promise<TicketMessage[]> {
  const rows = (await q('ticket_messages').where({ ticket_id: ticketId }).orderBy('id')) as Array<{
    id: number;
    direction: 'in' | 'out';
    author: 'requester' | 'staff' | 'system';
    message_id: string | null;
    body_text: string;
    created_at: string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    author: r.author,
    messageId: r.message_id,
    bodyText: r.body_text,
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
    .update({ status: to, updated_at: at, closed_at: to === 'closed' ? at : null });
  return changed === 1;
}

export async function touchTicket(q: Q, id: number, at: string): Promise<void> {
  await q('tickets').where({ id }).update({ updated_at: at });
}

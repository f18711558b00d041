import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

/** Statuses of a ticket whose work is over: retention counts its days from its last change. */
export const FINISHED_STATUSES = ['resolved', 'closed', 'rejected'] as const;

/**
 * The ids of the tickets under a legal hold and of every ticket merged with one, either way and at
 * any depth (a merge moves messages between tickets, so a hold covers them all): a subquery.
 */
function heldTicketIds(q: Q): Knex.QueryBuilder {
  return q.select('id').from(
    q.raw(`(WITH RECURSIVE merge_links (a, b) AS (
        SELECT id, merged_into_id FROM tickets WHERE merged_into_id IS NOT NULL
        UNION ALL SELECT merged_into_id, id FROM tickets WHERE merged_into_id IS NOT NULL
      ), held (id) AS (
        SELECT ticket_id FROM ticket_legal_holds
        UNION SELECT l.b FROM held h JOIN merge_links l ON l.a = h.id
      ) SELECT id FROM held) AS held_ids`),
  );
}

// ---------------------------------------------------------------------------------------------------
// Legal holds

export interface LegalHold {
  ticketId: number;
  setBy: string;
  setAt: string;
}

/** The ticket's id and reference year, or undefined when there is no such ticket. */
export async function findTicket(q: Q, id: number): Promise<{ id: number; reference_year: number } | undefined> {
  return (await q('tickets').where({ id }).first('id', 'reference_year')) as { id: number; reference_year: number } | undefined;
}

export async function findHold(q: Q, ticketId: number): Promise<LegalHold | undefined> {
  const row = (await q('ticket_legal_holds').where({ ticket_id: ticketId }).first()) as
    { ticket_id: number; set_by: string; set_at: string } | undefined;
  return row && { ticketId: row.ticket_id, setBy: row.set_by, setAt: row.set_at };
}

/** Places a hold; false when the ticket was on hold already. */
export async function insertHold(q: Q, hold: LegalHold): Promise<boolean> {
  const rows = (await q('ticket_legal_holds')
    .insert({ ticket_id: hold.ticketId, set_by: hold.setBy, set_at: hold.setAt })
    .onConflict('ticket_id')
    .ignore()
    .returning('ticket_id')) as unknown[];
  return rows.length === 1;
}

/** Lifts a hold; false when there was none. */
export async function deleteHold(q: Q, ticketId: number): Promise<boolean> {
  return (await q('ticket_legal_holds').where({ ticket_id: ticketId }).delete()) > 0;
}

// ---------------------------------------------------------------------------------------------------
// What is past its time. Every finder reads one page after id `after`, oldest first.

export interface TicketDue {
  id: number;
  reference_year: number;
  updated_at: string;
}

/** Finished tickets unchanged since before `cutoff`, not on hold. */
export async function finishedTicketsBefore(q: Q, cutoff: string, after: number, limit: number): Promise<TicketDue[]> {
  return (await q('tickets')
    .whereIn('status', FINISHED_STATUSES)
    .where('updated_at', '<', cutoff)
    .where('id', '>', after)
    .whereNotIn('id', heldTicketIds(q))
    .orderBy('id')
    .limit(limit)
    .select('id', 'reference_year', 'updated_at')) as TicketDue[];
}

/** Which of `ids` are finished, unchanged since before `cutoff` and not on hold. */
export async function finishedAmong(q: Q, ids: number[], cutoff: string): Promise<TicketDue[]> {
  const found: TicketDue[] = [];
  for (let i = 0; i < ids.length; i += 500)
    found.push(
      ...((await q('tickets')
        .whereIn('id', ids.slice(i, i + 500))
        .whereIn('status', FINISHED_STATUSES)
        .where('updated_at', '<', cutoff)
        .whereNotIn('id', heldTicketIds(q))
        .select('id', 'reference_year', 'updated_at')) as TicketDue[]),
    );
  return found;
}

/** Every merge: the ticket and the ticket it was merged into. */
export async function mergeLinks(q: Q): Promise<Array<{ id: number; merged_into_id: number }>> {
  return (await q('tickets').whereNotNull('merged_into_id').select('id', 'merged_into_id')) as Array<{
    id: number;
    merged_into_id: number;
  }>;
}

export interface OriginalDue {
  id: number;
  ticket_id: number;
  reference_year: number;
}

/** Unmasked originals of requests kept since before `cutoff`, of tickets not on hold. */
export async function privateOriginalsBefore(q: Q, cutoff: string, after: number, limit: number): Promise<OriginalDue[]> {
  return (await q('private_originals as p')
    .join('tickets as t', 't.id', 'p.ticket_id')
    .leftJoin('ticket_messages as m', 'm.id', 'p.message_id')
    .where('p.created_at', '<', cutoff)
    .where('p.id', '>', after)
    .whereNotIn('p.ticket_id', heldTicketIds(q))
    .where((w) => w.whereNull('m.ticket_id').orWhereNotIn('m.ticket_id', heldTicketIds(q)))
    .orderBy('p.id')
    .limit(limit)
    .select('p.id', 'p.ticket_id', 't.reference_year')) as OriginalDue[];
}

export interface CallbackOriginalDue {
  id: number;
  callback_id: number;
}

/** Unmasked originals of callback topics kept since before `cutoff`, unless the callback's ticket is on hold. */
export async function callbackOriginalsBefore(
  q: Q,
  cutoff: string,
  after: number,
  limit: number,
): Promise<CallbackOriginalDue[]> {
  return (await q('callback_private_originals as o')
    .join('callbacks as c', 'c.id', 'o.callback_id')
    .where('o.created_at', '<', cutoff)
    .where('o.id', '>', after)
    .where((w) => w.whereNull('c.ticket_id').orWhereNotIn('c.ticket_id', heldTicketIds(q)))
    .orderBy('o.id')
    .limit(limit)
    .select('o.id', 'o.callback_id')) as CallbackOriginalDue[];
}

export interface RawMailDue {
  id: number;
  received_at: string;
  ticket_id: number | null;
  reference_year: number | null;
  attachments: number;
}

/**
 * Raw mail received before `cutoff` that intake has finished with (processed, set aside or ignored),
 * unless it belongs to a ticket on hold (by its ticket, or by a message of a held ticket after a merge).
 */
export async function rawMailBefore(q: Q, cutoff: string, after: number, limit: number): Promise<RawMailDue[]> {
  const rows = (await q('inbound_mail as i')
    .leftJoin('tickets as t', 't.id', 'i.ticket_id')
    .where('i.received_at', '<', cutoff)
    .where('i.id', '>', after)
    .whereNot('i.status', 'received')
    .where((w) => w.whereNull('i.ticket_id').orWhereNotIn('i.ticket_id', heldTicketIds(q)))
    .whereNotExists((sub) =>
      sub.from('ticket_messages as m').whereRaw('m.inbound_mail_id = i.id').whereIn('m.ticket_id', heldTicketIds(q)),
    )
    .orderBy('i.id')
    .limit(limit)
    .select('i.id', 'i.received_at', 'i.ticket_id', 't.reference_year', {
      attachments: q('mail_attachments as a').whereRaw('a.inbound_mail_id = i.id').count('*'),
    })) as Array<RawMailDue & { attachments: number | string }>;
  return rows.map((r) => ({ ...r, attachments: Number(r.attachments) }));
}

// ---------------------------------------------------------------------------------------------------
// Deleting

export async function deletePrivateOriginals(q: Q, ids: number[]): Promise<number> {
  return q('private_originals').whereIn('id', ids).delete();
}

export async function deleteCallbackOriginals(q: Q, ids: number[]): Promise<number> {
  return q('callback_private_originals').whereIn('id', ids).delete();
}

/** Deletes raw mail rows; the attachments taken from them go with them (ON DELETE CASCADE). */
export async function deleteRawMail(q: Q, ids: number[]): Promise<number> {
  return q('inbound_mail').whereIn('id', ids).delete();
}

/**
 * Deletes tickets and everything that is theirs: messages, case numbers, events, private originals,
 * attachments, search entries and the rest by ON DELETE CASCADE (and SQLite's search triggers), and
 * their raw mail here, unless a message of a ticket that stays came from it. A callback booked about
 * one of them is kept, no longer linked. `ids` must hold every ticket merged with each of them.
 * Returns how many tickets and raw mail rows went.
 */
export async function deleteTickets(q: Q, ids: number[]): Promise<{ tickets: number; rawMail: number }> {
  const rawIds = (await q('inbound_mail as i')
    .where((w) =>
      w
        .whereIn('i.ticket_id', ids)
        .orWhereIn(
          'i.id',
          q('ticket_messages').whereIn('ticket_id', ids).whereNotNull('inbound_mail_id').select('inbound_mail_id'),
        ),
    )
    .whereNotExists((sub) => sub.from('ticket_messages as m').whereRaw('m.inbound_mail_id = i.id').whereNotIn('m.ticket_id', ids))
    .pluck('i.id')) as number[];
  await q('callbacks').whereIn('ticket_id', ids).update({ ticket_id: null });
  const tickets = await q('tickets').whereIn('id', ids).delete();
  let rawMail = 0;
  for (let i = 0; i < rawIds.length; i += 500) rawMail += await deleteRawMail(q, rawIds.slice(i, i + 500));
  return { tickets, rawMail };
}

import type { Knex } from 'knex';

export interface CallbackRow {
  id: number;
  slot_start: string;
  slot_end: string;
  seat: number;
  status: string;
  name: string;
  phone: string;
  email: string;
  ticket_id: number | null;
  topic: string | null;
  ics_sequence: number;
  /** The language it was booked in (en | es); null for bookings from before languages, written to in English. */
  language?: string | null;
  created_at: string;
  updated_at: string;
  /** The slot the reminder was sent for (a moved call is reminded again). */
  reminded_slot_start?: string | null;
  /** When the call time passed with no outcome recorded (the board asks staff for one). */
  needs_outcome_since?: string | null;
}

/** Live bookings per slot start (UTC ISO) between two instants. */
export async function bookedCounts(db: Knex, fromIso: string, toIso: string): Promise<Map<string, number>> {
  const rows = (await db('callbacks')
    .where('status', 'booked')
    .andWhere('slot_start', '>=', fromIso)
    .andWhere('slot_start', '<', toIso)
    .select('slot_start')
    .count({ n: '*' })
    .groupBy('slot_start')) as Array<{ slot_start: string; n: number | string }>;
  return new Map(rows.map((r) => [r.slot_start, Number(r.n)]));
}

export async function insertCallback(
  db: Knex,
  row: Omit<CallbackRow, 'id' | 'status' | 'ics_sequence' | 'reminded_slot_start' | 'needs_outcome_since'> & {
    manage_token_hash: string;
  },
): Promise<number> {
  const [inserted] = (await db('callbacks')
    .insert({ ...row, status: 'booked' })
    .returning('id')) as Array<{ id: number }>;
  return inserted.id;
}

export async function findById(db: Knex, id: number): Promise<CallbackRow> {
  return (await db('callbacks').where({ id }).first()) as CallbackRow;
}

export async function findByManageHash(db: Knex, hash: string): Promise<CallbackRow | undefined> {
  return (await db('callbacks').where({ manage_token_hash: hash }).first()) as CallbackRow | undefined;
}

/** Moves a live booking to another slot and seat; the unique seat index refuses a full slot. */
export async function moveCallback(
  db: Knex,
  id: number,
  slot: { start: string; end: string; seat: number },
  at: string,
): Promise<boolean> {
  const changed = await db('callbacks')
    .where({ id, status: 'booked' })
    .update({
      slot_start: slot.start,
      slot_end: slot.end,
      seat: slot.seat,
      ics_sequence: db.raw('ics_sequence + 1'),
      needs_outcome_since: null,
      updated_at: at,
    });
  return changed === 1;
}

export async function cancelCallback(db: Knex, id: number, at: string): Promise<boolean> {
  const changed = await db('callbacks')
    .where({ id, status: 'booked' })
    .update({ status: 'cancelled', ics_sequence: db.raw('ics_sequence + 1'), updated_at: at });
  return changed === 1;
}

/** Keeps what masking replaced in a booking's text, for administrators only. */
export async function insertOriginal(db: Knex, callbackId: number, field: 'topic', original: string, at: string): Promise<void> {
  await db('callback_private_originals').insert({ callback_id: callbackId, field, original, created_at: at });
}

/** Whether masking changed what the filer wrote for this booking (they are told so). */
export async function hasOriginals(db: Knex, callbackId: number): Promise<boolean> {
  return Boolean(await db('callback_private_originals').where({ callback_id: callbackId }).first('id'));
}

/** The unmasked topics of these bookings, by booking id: for administrators only. */
export async function originalTopics(db: Knex, callbackIds: number[]): Promise<Map<number, string>> {
  if (callbackIds.length === 0) return new Map();
  const rows = (await db('callback_private_originals')
    .whereIn('callback_id', callbackIds)
    .andWhere({ field: 'topic' })
    .select('callback_id', 'original')) as Array<{ callback_id: number; original: string }>;
  return new Map(rows.map((r) => [r.callback_id, r.original]));
}

/** The requester's address of a ticket, by its reference's parts; undefined when there is none. */
export async function ticketRequester(db: Knex, reference: { id: number; year: number }): Promise<string | undefined> {
  const row = (await db('tickets').where({ id: reference.id, reference_year: reference.year }).first('requester_email')) as
    { requester_email: string } | undefined;
  return row?.requester_email;
}

/** A call on the staff board, with its ticket's reference year and the name of who handled it. */
export type BoardCall = CallbackRow & { reference_year: number | null; handled_by_name: string | null } & Record<string, unknown>;

const boardCalls = (q: Knex) =>
  q('callbacks as c')
    .leftJoin('tickets as t', 't.id', 'c.ticket_id')
    .leftJoin('staff_users as u', 'u.id', 'c.handled_by')
    .orderBy('c.slot_start')
    .limit(500)
    .select('c.*', 't.reference_year', 'u.name as handled_by_name');

/** Calls from `fromIso` on that were not cancelled, earliest first (at most 500). */
export async function boardCallsFrom(q: Knex, fromIso: string): Promise<BoardCall[]> {
  return (await boardCalls(q).where('c.slot_start', '>=', fromIso).whereNot('c.status', 'cancelled')) as BoardCall[];
}

/** Calls before `beforeIso` still booked that the expiry job marked as needing an outcome (at most 500). */
export async function boardCallsNeedingOutcome(q: Knex, beforeIso: string): Promise<BoardCall[]> {
  return (await boardCalls(q)
    .where('c.slot_start', '<', beforeIso)
    .where('c.status', 'booked')
    .whereNotNull('c.needs_outcome_since')) as BoardCall[];
}

/** What recording a call's outcome needs to know of it; undefined when there is no such call. */
export async function findForOutcome(
  q: Knex,
  id: number,
): Promise<{ status: string; attempts: number; slot_start: string } | undefined> {
  return (await q('callbacks').where({ id }).first()) as { status: string; attempts: number; slot_start: string } | undefined;
}

/** Who handled a call, when, and their notes: written with every outcome. */
export interface OutcomeRecord {
  handled_by: number;
  staff_notes: string | null;
  updated_at: string;
}

/** Closes a call with its outcome (completed, unreachable) and the attempts it took. */
export async function closeWithOutcome(
  q: Knex,
  id: number,
  outcome: OutcomeRecord & { status: string; attempts: number },
): Promise<void> {
  await q('callbacks').where({ id }).update(outcome);
}

/**
 * Books an unanswered call again in another slot and seat (raising the invitation's SEQUENCE); the
 * unique seat index refuses a full slot.
 */
export async function rebookAfterNoAnswer(
  q: Knex,
  id: number,
  outcome: OutcomeRecord & { attempts: number },
  slot: { start: string; end: string; seat: number },
): Promise<void> {
  await q('callbacks')
    .where({ id })
    .update({
      ...outcome,
      status: 'booked',
      slot_start: slot.start,
      slot_end: slot.end,
      seat: slot.seat,
      ics_sequence: q.raw('ics_sequence + 1'),
      needs_outcome_since: null,
    });
}

/** Marks booked calls that ended by `at` with no outcome yet; how many it marked. */
export async function markNeedingOutcome(q: Knex, at: string): Promise<number> {
  return q('callbacks')
    .where({ status: 'booked' })
    .andWhere('slot_end', '<=', at)
    .whereNull('needs_outcome_since')
    .update({ needs_outcome_since: at });
}

/** Booked calls starting after `fromIso` up to `toIso` not yet reminded for their slot, earliest first. */
export async function callsAwaitingReminder(
  q: Knex,
  fromIso: string,
  toIso: string,
): Promise<Array<CallbackRow & { updated_at: string }>> {
  return (await q('callbacks')
    .where({ status: 'booked' })
    .andWhere('slot_start', '>', fromIso)
    .andWhere('slot_start', '<=', toIso)
    .andWhere((w) => w.whereNull('reminded_slot_start').orWhere('reminded_slot_start', '<>', q.ref('slot_start')))
    .orderBy('slot_start')) as Array<CallbackRow & { updated_at: string }>;
}

/**
 * Claims the reminder of a call for its slot, if it is still booked there and not yet reminded: a
 * conditional update, so only one run claims it. True when this call claimed it.
 */
export async function claimReminder(q: Knex, id: number, slotStart: string): Promise<boolean> {
  const claimed = await q('callbacks')
    .where({ id, status: 'booked', slot_start: slotStart })
    .andWhere((w) => w.whereNull('reminded_slot_start').orWhere('reminded_slot_start', '<>', slotStart))
    .update({ reminded_slot_start: slotStart });
  return claimed === 1;
}

/** The calls booked with this email address (its stored form), latest first, at most `limit`, with their ticket's reference year. */
export async function callbacksByEmail(q: Knex, email: string, limit: number): Promise<BoardCall[]> {
  return (await q('callbacks as c')
    .leftJoin('tickets as t', 't.id', 'c.ticket_id')
    .leftJoin('staff_users as u', 'u.id', 'c.handled_by')
    .where('c.email', email)
    .orderBy('c.slot_start', 'desc')
    .limit(limit)
    .select('c.*', 't.reference_year', 'u.name as handled_by_name')) as BoardCall[];
}

/** Live bookings about a ticket that have not ended yet, soonest first (shown on its status page). */
export async function upcomingForTicket(
  db: Knex,
  ticketId: number,
  nowIso: string,
): Promise<Array<{ slot_start: string; slot_end: string }>> {
  return (await db('callbacks')
    .where({ ticket_id: ticketId, status: 'booked' })
    .andWhere('slot_end', '>', nowIso)
    .orderBy('slot_start')
    .select('slot_start', 'slot_end')) as Array<{ slot_start: string; slot_end: string }>;
}

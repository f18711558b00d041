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

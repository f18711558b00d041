import { createEvent } from 'ics';
import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, Conflict, Invalid, NotFound } from '../errors';
import { triage, type ScopeRules } from '../policy/scope-guard';
import { hashStatusToken, looksLikeStatusToken, newStatusToken } from '../tickets/status-token';
import { parseReference } from '../tickets/reference';
import * as repo from './callbacks.repository';
import { bookableSlots, slotProblem, type Slot, type SlotProblem } from './slots';

const PROBLEM_TEXT: Record<SlotProblem, string> = {
  outside_hours: 'That time is outside helpdesk hours.',
  closed_day: 'The helpdesk is closed that day.',
  maintenance: 'That time falls in the CM/ECF maintenance window.',
  too_soon: 'That time is too soon; please choose a later one.',
  too_far: 'That time is too far ahead; please choose an earlier one.',
  not_a_slot: 'Please choose one of the times offered.',
};

export interface BookingInput {
  name: string;
  phone: string;
  email: string;
  start: string;
  ticketReference?: string;
  topic?: string;
}

/** Phone callbacks: slots from the court calendar, bookings whose capacity the database holds. */
export function createCallbackService(deps: { db: Db; profile: CourtProfile; scopeRules: ScopeRules; now?: () => Date }) {
  const { db, profile } = deps;
  const now = deps.now ?? (() => new Date());
  const zone = profile.timezone;
  const toCourtIso = (utc: string) => DateTime.fromISO(utc, { zone }).toISO({ suppressMilliseconds: true }) as string;

  /** Takes the first free seat of a slot; a full slot gives slot_full (the unique index decides, not a count). */
  async function takeSeat(write: (seat: number) => Promise<void>): Promise<void> {
    for (let seat = 1; seat <= profile.callbacks.capacity; seat += 1) {
      try {
        await write(seat);
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Conflict('slot_full', 'That time has just been taken. Please choose another.');
  }

  function checkedSlot(start: string): { start: string; end: string } {
    const instant = new Date(start);
    const problem = slotProblem(profile, now(), instant);
    if (problem) throw new Invalid([{ field: 'start', code: problem, message: PROBLEM_TEXT[problem] }]);
    return {
      start: instant.toISOString(),
      end: new Date(instant.getTime() + profile.callbacks.slotMinutes * 60_000).toISOString(),
    };
  }

  async function byToken(token: string): Promise<repo.CallbackRow> {
    const row = looksLikeStatusToken(token) ? await repo.findByManageHash(db, hashStatusToken(token)) : undefined;
    if (!row) throw new NotFound('We could not find a booking for this link.');
    return row;
  }

  return {
    async slots(fromDate: string | undefined, days: number): Promise<{ timezone: string; slots: Slot[] }> {
      const from = fromDate ?? (DateTime.fromJSDate(now(), { zone }).toISODate() as string);
      const first = DateTime.fromISO(from, { zone }).startOf('day');
      const booked = await repo.bookedCounts(db, first.toUTC().toISO() as string, first.plus({ days }).toUTC().toISO() as string);
      return { timezone: zone, slots: bookableSlots(profile, now(), from, days, booked) };
    },

    /** Books a callback; returns the booking and its private manage token (only its hash is kept). */
    async book(input: BookingInput) {
      const verdict = input.topic ? triage(deps.scopeRules, { body: input.topic }) : undefined;
      if (verdict && verdict.decision !== 'accept') {
        throw new AppError(
          422,
          verdict.decision,
          'We can only call back about using the electronic filing system, not to give legal advice or pass messages to a judge.',
        );
      }
      const slot = checkedSlot(input.start);
      let ticketId: number | null = null;
      if (input.ticketReference) {
        const parsed = parseReference(input.ticketReference);
        const ticket = parsed ? await db('tickets').where({ id: parsed.id, reference_year: parsed.year }).first('id') : undefined;
        if (!ticket)
          throw new Invalid([
            { field: 'ticketReference', code: 'unknown_ticket', message: 'We could not find a request with that reference.' },
          ]);
        ticketId = (ticket as { id: number }).id;
      }
      const token = newStatusToken();
      const at = now().toISOString();
      let id = 0;
      await takeSeat(async (seat) => {
        id = await repo.insertCallback(db, {
          slot_start: slot.start,
          slot_end: slot.end,
          seat,
          name: input.name,
          phone: input.phone,
          email: input.email,
          ticket_id: ticketId,
          topic: input.topic ?? null,
          manage_token_hash: hashStatusToken(token),
          created_at: at,
          updated_at: at,
        });
      });
      return { id, start: toCourtIso(slot.start), end: toCourtIso(slot.end), status: 'booked' as const, manageToken: token };
    },

    async view(token: string) {
      const row = await byToken(token);
      return { ...row, start: toCourtIso(row.slot_start), end: toCourtIso(row.slot_end) };
    },

    /** Moves the booking to another slot (raises the invitation's SEQUENCE). */
    async reschedule(token: string, start: string): Promise<void> {
      const row = await byToken(token);
      if (row.status !== 'booked')
        throw new Invalid([{ code: 'not_booked', message: 'This booking was cancelled; please book a new time.' }]);
      const slot = checkedSlot(start);
      const at = now().toISOString();
      await takeSeat(async (seat) => {
        if (!(await repo.moveCallback(db, row.id, { ...slot, seat }, at)))
          throw new Invalid([{ code: 'not_booked', message: 'This booking can no longer be changed.' }]);
      });
    },

    async cancel(token: string): Promise<void> {
      const row = await byToken(token);
      await repo.cancelCallback(db, row.id, now().toISOString());
    },

    /** The calendar invitation: stable UID, SEQUENCE raised on each change, cancelled when cancelled. */
    async invitation(token: string): Promise<string> {
      const row = await byToken(token);
      const start = DateTime.fromISO(row.slot_start, { zone: 'utc' });
      const { error, value } = createEvent({
        uid: `callback-${row.id}@${profile.court.id}.ecf-helpdesk`,
        sequence: row.ics_sequence,
        method: row.status === 'cancelled' ? 'CANCEL' : 'PUBLISH',
        status: row.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
        title: `Call back from the ${profile.court.name} CM/ECF Helpdesk`,
        description: `The helpdesk will call you at ${row.phone}.${row.topic ? ` Topic: ${row.topic}` : ''}`,
        start: [start.year, start.month, start.day, start.hour, start.minute],
        startInputType: 'utc',
        startOutputType: 'utc',
        duration: { minutes: profile.callbacks.slotMinutes },
      });
      if (error || !value) throw error ?? new Error('could not build the invitation');
      return value;
    },
  };
}

export type CallbackService = ReturnType<typeof createCallbackService>;

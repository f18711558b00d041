import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { Conflict, Invalid, NotFound } from '../errors';
import { formatReference } from '../tickets/reference';
import {
  boardCallsFrom,
  boardCallsNeedingOutcome,
  bookedCounts,
  callbacksByEmail,
  closeWithOutcome,
  findById,
  findForOutcome,
  originalTopics,
  rebookAfterNoAnswer,
} from './callbacks.repository';
import type { CallbackMail } from './callback-mail';
import { bookableSlots } from './slots';

/** How many times staff try a filer who does not answer before the call is marked unreachable. */
export const MAX_ATTEMPTS = 3;

export type Outcome = 'completed' | 'no_answer' | 'unreachable';

/** The staff callbacks board: today's and upcoming calls in the court's time, and their outcomes. */
export function createCallbackBoard(deps: { db: Db; profile: CourtProfile; now: () => Date; mail?: CallbackMail }) {
  const { db, profile } = deps;

  const withTicket = (rows: Array<Record<string, unknown>>) =>
    rows.map((r): Record<string, unknown> & { slot_start: string; ticketReference: string | null } => ({
      ...r,
      slot_start: r.slot_start as string,
      ticketReference: r.ticket_id ? formatReference(r.reference_year as number, r.ticket_id as number) : null,
    }));

  return {
    /** The board; with `originals` (administrators only) each masked topic comes with what was typed. */
    async list(options: { originals?: boolean } = {}) {
      const startOfToday = DateTime.fromJSDate(deps.now(), { zone: profile.timezone }).startOf('day');
      const fromToday = startOfToday.toUTC().toISO() as string;
      const rows = withTicket(await boardCallsFrom(db, fromToday));
      // Calls of earlier days that the expiry job found still booked: they would fall off the board.
      const needsOutcome = withTicket(await boardCallsNeedingOutcome(db, fromToday));
      const endOfToday = startOfToday.plus({ days: 1 }).toUTC().toISO() as string;
      if (options.originals) {
        const all = [...rows, ...needsOutcome];
        const originals = await originalTopics(
          db,
          all.map((r) => r.id as number),
        );
        for (const row of all) row.originalTopic = originals.get(row.id as number) ?? null;
      }
      return {
        needsOutcome,
        today: rows.filter((r) => r.slot_start < endOfToday),
        upcoming: rows.filter((r) => r.slot_start >= endOfToday),
      };
    },

    /** The calls a requester booked (by their email address), latest first, with topics masked: the ticket page lists them. */
    async ofRequester(email: string, limit = 10) {
      return withTicket(await callbacksByEmail(db, email, limit));
    },

    /**
     * Records the outcome of a call. No answer: the call moves to the next free slot (a fresh seat,
     * held by the same unique index as bookings) until MAX_ATTEMPTS, then it is unreachable.
     */
    async record(id: number, staffId: number, outcome: Outcome, notes: string): Promise<{ status: string; movedTo?: string }> {
      const row = await findForOutcome(db, id);
      if (!row) throw new NotFound('There is no such callback.');
      if (row.status !== 'booked' && row.status !== 'no_answer')
        throw new Conflict('callback_closed', 'This call already has an outcome.');
      const at = deps.now().toISOString();
      const base = { handled_by: staffId, staff_notes: notes || null, updated_at: at };
      if (outcome !== 'no_answer' || row.attempts + 1 >= MAX_ATTEMPTS) {
        const status = outcome === 'no_answer' ? 'unreachable' : outcome;
        await closeWithOutcome(db, id, { ...base, status, attempts: row.attempts + (outcome === 'no_answer' ? 1 : 0) });
        return { status };
      }
      const today = DateTime.fromJSDate(deps.now(), { zone: profile.timezone }).startOf('day');
      const horizon = profile.callbacks.horizonDays + 1;
      const booked = await bookedCounts(
        db,
        today.toUTC().toISO() as string,
        today.plus({ days: horizon }).toUTC().toISO() as string,
      );
      for (const slot of bookableSlots(profile, deps.now(), today.toISODate() as string, horizon, booked)) {
        const start = new Date(slot.start).toISOString();
        for (let seat = 1; seat <= profile.callbacks.capacity; seat += 1) {
          try {
            await db.transaction(async (trx) => {
              await rebookAfterNoAnswer(
                trx,
                id,
                { ...base, attempts: row.attempts + 1 },
                { start, end: new Date(slot.end).toISOString(), seat },
              );
              // The filer learns the new time (and their calendar moves the entry) in the same commit.
              if (deps.mail) await deps.mail.changed(trx, await findById(trx, id), undefined, row.slot_start);
            });
            return { status: 'booked', movedTo: slot.start };
          } catch (error) {
            if (!isUniqueViolation(error)) throw error; // seat taken meanwhile: try the next seat or slot
          }
        }
      }
      throw new Invalid([
        {
          code: 'no_free_slot',
          message: 'There is no free time left to try again; mark the call unreachable or write to the filer.',
        },
      ]);
    },
  };
}

export type CallbackBoard = ReturnType<typeof createCallbackBoard>;

import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, Conflict, Invalid, NotFound } from '../errors';
import type { Language } from '../i18n/i18n';
import { readIntake } from '../policy/intake-policy';
import type { ScopeRules } from '../policy/scope-guard';
import { sameMailbox } from '../tickets/email.schema';
import { hashStatusToken, looksLikeStatusToken, newStatusToken } from '../tickets/status-token';
import { parseReference } from '../tickets/reference';
import type { CallbackMail } from './callback-mail';
import { callbackInvitation } from './callback-invitation';
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

/** A manage link whose call time has passed: the page says so and how to get help instead. */
export class CallbackExpired extends AppError {
  constructor() {
    super(410, 'callback_expired', 'The time of this call has passed, so this link no longer works.');
  }
}

export interface BookingInput {
  name: string;
  phone: string;
  email: string;
  start: string;
  ticketReference?: string;
  topic?: string;
  /** The page language at booking: the callback's mail is written in it. */
  language?: Language;
}

/** Phone callbacks: slots from the court calendar, bookings whose capacity the database holds. */
export function createCallbackService(deps: {
  db: Db;
  profile: CourtProfile;
  scopeRules: ScopeRules;
  now?: () => Date;
  /** Confirmation, change and cancellation mail; absent when outgoing mail is off. */
  mail?: CallbackMail;
}) {
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

  /** The booking of a manage link; once its call time has passed the link is spent (410 Gone). */
  async function byToken(token: string): Promise<repo.CallbackRow> {
    const row = looksLikeStatusToken(token) ? await repo.findByManageHash(db, hashStatusToken(token)) : undefined;
    if (!row) throw new NotFound('We could not find a booking for this link.');
    if (Date.parse(row.slot_end) <= now().getTime()) throw new CallbackExpired();
    return row;
  }

  /** Bookable slots of `days` local days from `fromDate` (today when absent). */
  async function slots(fromDate: string | undefined, days: number): Promise<{ timezone: string; slots: Slot[] }> {
    const from = fromDate ?? (DateTime.fromJSDate(now(), { zone }).toISODate() as string);
    const first = DateTime.fromISO(from, { zone }).startOf('day');
    const booked = await repo.bookedCounts(db, first.toUTC().toISO() as string, first.plus({ days }).toUTC().toISO() as string);
    return { timezone: zone, slots: bookableSlots(profile, now(), from, days, booked) };
  }

  return {
    slots,

    /** Every bookable slot from today to the last day of the horizon, for the month view of the pages. */
    async bookableRange(): Promise<{ timezone: string; today: string; lastDay: string; slots: Slot[] }> {
      const today = DateTime.fromJSDate(now(), { zone }).startOf('day');
      const days = profile.callbacks.horizonDays + 1;
      const found = await slots(today.toISODate() as string, days);
      const lastDay = today.plus({ days: days - 1 }).toISODate() as string;
      return { timezone: zone, today: today.toISODate() as string, lastDay, slots: found.slots };
    },

    /**
     * Books a callback; returns the booking and its private manage token (only its hash is kept).
     * Private numbers in the topic are masked (the original kept for administrators, and
     * `privacyRedacted` says so); a ticket reference links the booking only to a ticket of the same
     * requester, and otherwise is left out without a word, so the answer tells nothing about it.
     */
    async book(input: BookingInput) {
      // The one policy step of every intake path: masking, then the scope guard on the masked words.
      const reading = input.topic ? readIntake(deps.scopeRules, { subject: '', body: input.topic }) : undefined;
      const privacyRedacted = (reading?.redactions.length ?? 0) > 0;
      // Masking keeps the length about the same; the column holds 500 characters whatever happens.
      const topic = reading ? reading.body.slice(0, 500) : null;
      if (reading?.refusal) {
        throw new AppError(
          422,
          reading.refusal,
          'We can only call back about using the electronic filing system, not to give legal advice or pass messages to a judge.',
        );
      }
      const slot = checkedSlot(input.start);
      const reference = input.ticketReference ? parseReference(input.ticketReference) : null;
      const requester = reference ? await repo.ticketRequester(db, reference) : undefined;
      const ticketId = reference && requester && sameMailbox(requester, input.email) ? reference.id : null;
      const token = newStatusToken();
      const at = now().toISOString();
      let id = 0;
      // Each seat is tried in its own transaction (a refused insert aborts one on PostgreSQL); the
      // confirmation is queued in it, so mail goes out only for a booking that was saved.
      await takeSeat(async (seat) => {
        await db.transaction(async (trx) => {
          id = await repo.insertCallback(trx, {
            slot_start: slot.start,
            slot_end: slot.end,
            seat,
            name: input.name,
            phone: input.phone,
            email: input.email,
            ticket_id: ticketId,
            topic,
            language: input.language ?? 'en',
            manage_token_hash: hashStatusToken(token),
            created_at: at,
            updated_at: at,
          });
          if (privacyRedacted && input.topic) await repo.insertOriginal(trx, id, 'topic', input.topic, at);
          if (deps.mail) await deps.mail.confirmation(trx, await repo.findById(trx, id), token, { privacyRedacted });
        });
      });
      return {
        id,
        start: toCourtIso(slot.start),
        end: toCourtIso(slot.end),
        status: 'booked' as const,
        manageToken: token,
        privacyRedacted,
      };
    },

    /** The booking of a manage link; `privacyRedacted` when masking changed its topic (the filer is told). */
    async view(token: string) {
      const row = await byToken(token);
      return {
        ...row,
        start: toCourtIso(row.slot_start),
        end: toCourtIso(row.slot_end),
        privacyRedacted: await repo.hasOriginals(db, row.id),
      };
    },

    /** Moves the booking to another slot (raises the invitation's SEQUENCE). */
    async reschedule(token: string, start: string): Promise<void> {
      const row = await byToken(token);
      if (row.status !== 'booked')
        throw new Invalid([{ code: 'not_booked', message: 'This booking was cancelled; please book a new time.' }]);
      const slot = checkedSlot(start);
      const at = now().toISOString();
      await takeSeat(async (seat) => {
        await db.transaction(async (trx) => {
          if (!(await repo.moveCallback(trx, row.id, { ...slot, seat }, at)))
            throw new Invalid([{ code: 'not_booked', message: 'This booking can no longer be changed.' }]);
          if (deps.mail) await deps.mail.changed(trx, await repo.findById(trx, row.id), token, row.slot_start);
        });
      });
    },

    async cancel(token: string): Promise<void> {
      const row = await byToken(token);
      await db.transaction(async (trx) => {
        // Cancelling twice (a double click) sends one cancellation: only the first changes the row.
        if ((await repo.cancelCallback(trx, row.id, now().toISOString())) && deps.mail)
          await deps.mail.cancelled(trx, await repo.findById(trx, row.id), token);
      });
    },

    /** Calls booked about a ticket and not over yet (UTC ISO start and end), for its status page. */
    async upcomingForTicket(ticketId: number): Promise<Array<{ start: string; end: string }>> {
      const rows = await repo.upcomingForTicket(db, ticketId, now().toISOString());
      return rows.map((r) => ({ start: r.slot_start, end: r.slot_end }));
    },

    /** The calendar invitation: stable UID, SEQUENCE raised on each change, cancelled when cancelled. */
    async invitation(token: string): Promise<string> {
      return callbackInvitation(profile, await byToken(token));
    },
  };
}

export type CallbackService = ReturnType<typeof createCallbackService>;

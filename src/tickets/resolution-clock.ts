import { addBusinessHours, businessMillisBetween } from '../calendar/business-time';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { TicketStatus } from './ticket.types';
import {
  findTicketById,
  listStatusEvents,
  listUnmeasuredResolutions,
  setResolutionHours,
  type HistoryEntry,
} from './tickets.repository';

// The resolution target (court profile `resolutionBusinessHours`) counts business hours while the
// helpdesk has the next move: the clock runs while a request is new or open, pauses while it waits for
// the filer, and stops when it is resolved, closed, refused or merged into another.

const HOUR_MS = 3_600_000;
const RUNNING: ReadonlySet<string> = new Set(['new', 'open']);
const FINISHED: ReadonlySet<string> = new Set(['resolved', 'closed']);

/** What a ticket's history says about its status: the event's action and what it recorded after it. */
export type StatusEvent = Pick<HistoryEntry, 'action' | 'before' | 'after' | 'createdAt'>;

/** A stretch of time a ticket spent in one status (`to` null: it is still in it). */
export interface StatusPeriod {
  status: TicketStatus;
  from: string;
  to: string | null;
  /** Closed by a merge into another ticket (a duplicate is not resolved). */
  merged?: boolean;
}

const statusIn = (value: unknown): TicketStatus | undefined => {
  const status = (value as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? (status as TicketStatus) : undefined;
};

/**
 * The statuses a ticket went through, oldest first, from its creation and the events of its history
 * (any event that records a status after it; a merge closes the duplicate).
 */
export function statusPeriods(ticket: { createdAt: string; status: TicketStatus }, events: StatusEvent[]): StatusPeriod[] {
  const changes = events
    .map((e) => ({ event: e, to: e.action === 'merged' ? ('closed' as const) : statusIn(e.after) }))
    .filter((c): c is { event: StatusEvent; to: TicketStatus } => c.to !== undefined);
  const first = statusIn(changes[0]?.event.before) ?? (changes.length === 0 ? ticket.status : 'new');
  const periods: StatusPeriod[] = [{ status: first, from: ticket.createdAt, to: null }];
  for (const { event, to } of changes) {
    const current = periods[periods.length - 1];
    if (to === current.status && event.action !== 'merged') continue;
    current.to = event.createdAt;
    periods.push({ status: to, from: event.createdAt, to: null, ...(event.action === 'merged' ? { merged: true } : {}) });
  }
  return periods;
}

/** Where a ticket stands against the resolution target. */
export interface ResolutionClock {
  targetHours: number;
  /** Business hours the clock has run so far (while new or open), to one decimal. */
  usedHours: number;
  /**
   * running: the helpdesk has the next move; paused: waiting for the filer; resolved: resolved or
   * closed; stopped: refused, or merged into another ticket (no target applies).
   */
  phase: 'running' | 'paused' | 'resolved' | 'stopped';
  /** When the target is (or was) reached while running; null when it has not been reached and the clock is not running. */
  dueAt: string | null;
  /** ok, soon (within a business hour), overdue (running past the target), met or missed (resolved), none. */
  state: 'ok' | 'soon' | 'overdue' | 'met' | 'missed' | 'none';
  /** The time it was resolved, for a resolved ticket. */
  resolvedAt: string | null;
}

/**
 * The resolution clock of a ticket as of `now`: business hours counted on the court's calendar while
 * the ticket is new or open, paused while it waits for the filer (SPEC §13).
 */
export function resolutionClock(
  profile: CourtProfile,
  ticket: { createdAt: string; status: TicketStatus },
  events: StatusEvent[],
  now: Date,
): ResolutionClock {
  const targetHours = profile.resolutionBusinessHours;
  const target = targetHours * HOUR_MS;
  const periods = statusPeriods(ticket, events);
  let used = 0;
  let dueAt: string | null = null;
  for (const period of periods) {
    if (!RUNNING.has(period.status)) continue;
    const from = new Date(period.from);
    const to = period.to ? new Date(period.to) : now;
    const spent = businessMillisBetween(profile, from, to);
    // The target falls inside this stretch (for the stretch still running, possibly in the future).
    if (dueAt === null && (period.to === null || used + spent >= target))
      dueAt = addBusinessHours(profile, from, (target - used) / HOUR_MS).toISOString();
    used += spent;
  }
  const last = periods[periods.length - 1];
  const usedHours = Math.round((used / HOUR_MS) * 10) / 10;
  const base = { targetHours, usedHours, resolvedAt: null };
  if (RUNNING.has(last.status)) {
    const left = target - used;
    const state = left <= 0 ? 'overdue' : left <= HOUR_MS ? 'soon' : 'ok';
    return { ...base, phase: 'running', dueAt, state };
  }
  if (last.status === 'waiting') return { ...base, phase: 'paused', dueAt: null, state: used > target ? 'overdue' : 'none' };
  if (FINISHED.has(last.status) && !last.merged)
    return { ...base, phase: 'resolved', dueAt, state: used <= target ? 'met' : 'missed', resolvedAt: last.from };
  return { ...base, phase: 'stopped', dueAt: null, state: 'none' };
}

/**
 * Business hours a ticket took to be resolved, not counting the time it waited for the filer (nor
 * time spent refused or resolved before a reopening); null when it is not resolved now (open, refused,
 * or merged into another). For reports: the median time to resolve (SPEC §13).
 */
export function businessHoursToResolve(
  profile: CourtProfile,
  ticket: { createdAt: string; status: TicketStatus },
  events: StatusEvent[],
): number | null {
  const periods = statusPeriods(ticket, events);
  const last = periods[periods.length - 1];
  if (!FINISHED.has(last.status) || last.merged) return null;
  let used = 0;
  for (const period of periods)
    if (RUNNING.has(period.status)) used += businessMillisBetween(profile, new Date(period.from), new Date(period.to as string));
  return used / HOUR_MS;
}

/** The resolution clocks of several tickets, by id, with one query for all their histories (the queue's page, a summary). */
export async function resolutionClocksFor(
  db: Db,
  profile: CourtProfile,
  tickets: Array<{ id: number; createdAt: string; status: TicketStatus }>,
  now: Date,
): Promise<Map<number, ResolutionClock>> {
  const events = await listStatusEvents(
    db,
    tickets.map((t) => t.id),
  );
  return new Map(tickets.map((t) => [t.id, resolutionClock(profile, t, events.get(t.id) ?? [], now)]));
}

/**
 * Hours as stored: to the hundredth (36 seconds), so that the half million a year's report reads are
 * short to hand over.
 */
export const storedHours = (hours: number) => Math.round(hours * 100) / 100;

/**
 * Works out and stores the business hours a ticket took to be resolved, in the transaction that has
 * just changed its status, after its history entry: a number once it is resolved or closed, null
 * again when it is refused or merged into another. Every path that changes a status by staff or
 * closes a ticket calls this (a filer's reply that reopens one clears the number itself), so a year
 * of reports reads one stored number per request rather than each one's history.
 */
export async function recordResolutionHours(q: Db, profile: CourtProfile, ticketId: number): Promise<void> {
  const ticket = await findTicketById(q, ticketId);
  if (!ticket) return;
  const events = (await listStatusEvents(q, [ticketId])).get(ticketId) ?? [];
  const hours = ticket.mergedIntoId === null ? businessHoursToResolve(profile, ticket, events) : null;
  await setResolutionHours(q, ticketId, hours === null ? null : storedHours(hours));
}

/**
 * Measures up to `batch` resolved or closed tickets that have no stored time to resolve (finished
 * before it was stored); returns how many. Each is measured from its history as a status change would.
 */
export async function measureUnmeasuredResolutions(db: Db, profile: CourtProfile, batch: number): Promise<number> {
  const tickets = await listUnmeasuredResolutions(db, batch);
  if (tickets.length === 0) return 0;
  const events = await listStatusEvents(
    db,
    tickets.map((t) => t.id),
  );
  await db.transaction(async (trx) => {
    for (const ticket of tickets) {
      const history = events.get(ticket.id) ?? [];
      // A ticket whose history records no status change (imported, or finished by hand in the
      // database) cannot say when it waited: its whole time from arrival to closing is counted.
      const hours =
        (history.length > 0 ? businessHoursToResolve(profile, ticket, history) : null) ??
        businessMillisBetween(profile, new Date(ticket.createdAt), new Date(ticket.finishedAt)) / HOUR_MS;
      await setResolutionHours(trx, ticket.id, storedHours(hours));
    }
  });
  return tickets.length;
}

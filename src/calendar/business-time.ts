import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import { WEEKDAYS } from '../config/court-profile';
import { closureOn } from './court-calendar';
import { partsOf, zoneFormatter } from './zone-formatter';

// Long enough to cross any run of holidays and weekends; a profile with no hours at all stops here.
const MAX_DAYS = 400;

/** The business span of a local calendar day, or null when closed (no hours, holiday, added closure). */
export function businessSpan(profile: CourtProfile, day: DateTime): [DateTime, DateTime] | null {
  const hours = profile.hours[WEEKDAYS[day.weekday - 1]];
  if (!hours || closureOn(profile, day.toISODate() as string)) return null;
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    return day.set({ hour, minute, second: 0, millisecond: 0 });
  };
  return [at(hours[0]), at(hours[1])];
}

const LOCAL_PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
};

/** The local calendar date and wall-clock time of an instant in `zone`. */
export function localParts(zone: string, at: Date): LocalParts {
  // Every request of the same minute asks the same question: keep the last answer per zone. (Zone
  // offsets only ever change on a whole minute, so the minute decides all four parts.)
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastParts.get(zone);
  if (last && last.minute === minute) return last.parts;
  const p = partsOf(zoneFormatter('local-parts', zone, LOCAL_PARTS), at);
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 1;
  const parts = Object.freeze({
    date: `${p.year}-${p.month}-${p.day}`,
    year: Number(p.year),
    minutes: Number(p.hour) * 60 + Number(p.minute),
    weekday,
  });
  lastParts.set(zone, { minute, parts });
  return parts;
}

type LocalParts = Readonly<{ date: string; year: number; minutes: number; weekday: number }>;
const lastParts = new Map<string, { minute: number; parts: LocalParts }>();

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The instant `hours` business hours after `from`, counting only time inside the court's hours on
 * open days, in the court's zone (so a daylight-saving change shifts nothing by an hour).
 */
export function addBusinessHours(profile: CourtProfile, from: Date, hours: number): Date {
  // Most requests arrive during open hours with time left today: answer without walking the calendar.
  // (No daylight-saving change happens inside business hours, so adding real time is exact there.)
  const local = localParts(profile.timezone, from);
  const span = profile.hours[WEEKDAYS[local.weekday - 1]];
  const wanted = hours * 60;
  const openToday = Boolean(span) && !closureOn(profile, local.date);
  const [open, close] = span ? span.map(toMinutes) : [0, 0];
  if (openToday && local.minutes >= open && local.minutes + wanted < close) return new Date(from.getTime() + wanted * 60_000);
  // Outside hours the answer does not depend on the exact minute: every request sent on Sunday, or
  // tonight after closing, is due the same number of hours after the next opening. Keep it.
  const outside = !openToday || local.minutes < open || local.minutes >= close;
  const key = outside ? `${local.date}|${openToday && local.minutes < open ? 'before' : 'after'}|${hours}` : undefined;
  const known = key ? dueCache.get(profile)?.get(key) : undefined;
  if (known) return new Date(known);
  const due = walkBusinessHours(profile, from, hours);
  if (key) {
    if (!dueCache.has(profile)) dueCache.set(profile, new Map());
    dueCache.get(profile)?.set(key, due.getTime());
  }
  return due;
}

const dueCache = new WeakMap<CourtProfile, Map<string, number>>();

/** The general case: walks the calendar day by day in the court's zone. */
function walkBusinessHours(profile: CourtProfile, from: Date, hours: number): Date {
  let remaining = Math.round(hours * 60 * 60 * 1000);
  let cursor = DateTime.fromJSDate(from, { zone: profile.timezone });
  for (let i = 0; i < MAX_DAYS; i += 1) {
    const day = cursor.startOf('day');
    const span = businessSpan(profile, day);
    if (span) {
      const start = cursor < span[0] ? span[0] : cursor;
      const available = span[1].toMillis() - start.toMillis();
      if (available > 0) {
        if (remaining <= available) return start.plus({ milliseconds: remaining }).toJSDate();
        remaining -= available;
      }
    }
    cursor = day.plus({ days: 1 });
  }
  throw new Error('the court profile has no business hours to count');
}

const DAY_MS = 86_400_000;

/** The court-local calendar date of an instant as a day number (days since 1970-01-01). */
function localDayNumber(zone: string, at: Date): number {
  return Date.parse(`${localParts(zone, at).date}T00:00:00Z`) / DAY_MS;
}

/**
 * The business span of a local day (by day number) in epoch milliseconds, or null when closed. A
 * day's span never changes for a profile (profiles are frozen at start), and an open request months
 * old crosses hundreds of days each time the queue shows its clock: each day is worked out once.
 */
function spanOfDay(profile: CourtProfile, dayNumber: number): readonly [number, number] | null {
  let spans = daySpans.get(profile);
  if (!spans) daySpans.set(profile, (spans = new Map()));
  let span = spans.get(dayNumber);
  if (span === undefined) {
    const date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    const local = businessSpan(profile, DateTime.fromISO(date, { zone: profile.timezone }));
    span = local ? [local[0].toMillis(), local[1].toMillis()] : null;
    spans.set(dayNumber, span);
  }
  return span;
}

const daySpans = new WeakMap<CourtProfile, Map<number, readonly [number, number] | null>>();

/** The business spans of the open local days from day number `first` to `last`, in order (closed days have none). */
function openSpansOfDays(profile: CourtProfile, first: number, last: number): Array<readonly [number, number]> {
  const spans: Array<readonly [number, number]> = [];
  for (let day = first; day <= last; day += 1) {
    const span = spanOfDay(profile, day);
    if (span) spans.push(span);
  }
  return spans;
}

/**
 * The business spans (epoch milliseconds) of the open days from the court-local day holding `fromMs`
 * to the one holding `toMs`, in order: closed days have none, so they are left out.
 */
export function openSpansBetween(profile: CourtProfile, fromMs: number, toMs: number): Array<readonly [number, number]> {
  const dayOf = (ms: number) => localDayNumber(profile.timezone, new Date(ms));
  return openSpansOfDays(profile, dayOf(fromMs), dayOf(toMs));
}

/** Business time between two instants, in milliseconds (0 when `to` is not after `from`). */
export function businessMillisBetween(profile: CourtProfile, from: Date, to: Date): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) return 0;
  const first = localDayNumber(profile.timezone, from);
  const last = Math.min(localDayNumber(profile.timezone, to), first + MAX_DAYS * 10);
  let total = 0;
  for (const span of openSpansOfDays(profile, first, last)) {
    const start = Math.max(fromMs, span[0]);
    const stop = Math.min(toMs, span[1]);
    if (stop > start) total += stop - start;
  }
  return total;
}

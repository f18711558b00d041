import { DateTime } from 'luxon';

/** The longest range a report covers (two years, a leap day included): longer ones are refused. */
export const MAX_RANGE_DAYS = 731;
/** Without dates, a report covers the last 30 days, today included (SPEC §13). */
export const DEFAULT_RANGE_DAYS = 30;

/** One day on the court's calendar and the instants (UTC ISO) it starts and ends. */
export interface CourtDay {
  date: string;
  startsAt: string;
  endsAt: string;
  /** 1 Monday … 7 Sunday. */
  weekday: number;
}

/** When the court's offset from UTC is `offsetMinutes`, from `fromMs` on (until the next segment). */
export interface OffsetSegment {
  fromMs: number;
  offsetMinutes: number;
}

/** The days of a report in the court's zone, from `from` to `to` inclusive (YYYY-MM-DD). */
export interface ReportRange {
  from: string;
  to: string;
  zone: string;
  days: CourtDay[];
  /** The start of the first day and the end of the last, as stored instants are written (UTC ISO). */
  startsAt: string;
  endsAt: string;
  /** The zone's offsets over the range, for placing an instant on the court's clock without a lookup per instant. */
  offsets: OffsetSegment[];
}

const DAY_MS = 86_400_000;

/** The court's date today and 29 days before: the default range. */
export function defaultRange(now: Date, zone: string): { from: string; to: string } {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return { from: today.minus({ days: DEFAULT_RANGE_DAYS - 1 }).toISODate() as string, to: today.toISODate() as string };
}

/** How many days `from` to `to` covers, both included (0 or less when `to` is before `from`). */
export function daysCovered(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days) + 1;
}

/**
 * The days from `from` to `to` in `zone`, each with the instants it starts and ends. A day is not
 * 24 hours when the clocks change: luxon knows the zone's rules, so 8 March 2026 in Los Angeles runs
 * 23 hours and 1 November 25.
 */
export function courtRange(from: string, to: string, zone: string): ReportRange {
  const first = Date.parse(`${from}T00:00:00Z`);
  const last = Date.parse(`${to}T00:00:00Z`);
  // The zone's offsets around the range, found by luxon; each midnight is then arithmetic.
  const offsets = offsetSegments(zone, first - 2 * DAY_MS, last + 3 * DAY_MS);
  const clock = courtClock(offsets);
  const midnight = (utcDate: number): number => {
    const guess = utcDate - (clock(utcDate) - utcDate);
    const start = utcDate - (clock(guess) - guess);
    // Where a zone skips midnight itself (its clocks change at 00:00), luxon says when the day starts.
    if (clock(start) !== utcDate)
      return DateTime.fromMillis(utcDate, { zone: 'utc' }).setZone(zone, { keepLocalTime: true }).startOf('day').toMillis();
    return start;
  };
  const days: CourtDay[] = [];
  let start = midnight(first);
  for (let date = first; date <= last; date += DAY_MS) {
    const end = midnight(date + DAY_MS);
    days.push({
      date: new Date(date).toISOString().slice(0, 10),
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      weekday: ((new Date(date).getUTCDay() + 6) % 7) + 1,
    });
    start = end;
  }
  const startsAt = days[0]?.startsAt ?? new Date(midnight(first)).toISOString();
  const endsAt = days[days.length - 1]?.endsAt ?? startsAt;
  return { from, to, zone, days, startsAt, endsAt, offsets: offsetSegments(zone, Date.parse(startsAt), Date.parse(endsAt)) };
}

const offsetAt = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).offset;

/**
 * The zone's offsets between two instants: a segment per change of offset. Offsets change rarely
 * (twice a year where clocks change), so the offset is checked a day apart and the minute of a change
 * is found by halving.
 */
export function offsetSegments(zone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ fromMs, offsetMinutes: offsetAt(zone, fromMs) }];
  const step = 86_400_000;
  for (let at = fromMs; at < toMs; at += step) {
    const next = Math.min(at + step, toMs);
    const current = segments[segments.length - 1].offsetMinutes;
    if (offsetAt(zone, next) === current) continue;
    // The change lies in (at, next]: halve to the minute (zones change offset on a whole minute).
    let low = at;
    let high = next;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetAt(zone, middle) === current) low = middle;
      else high = middle;
    }
    segments.push({ fromMs: high, offsetMinutes: offsetAt(zone, high) });
  }
  return segments;
}

/** The court's wall-clock time of an instant, as milliseconds (read with getUTC… methods). */
export function courtClock(offsets: OffsetSegment[]): (ms: number) => number {
  return (ms) => {
    let k = offsets.length - 1;
    while (k > 0 && ms < offsets[k].fromMs) k -= 1;
    return ms + offsets[k].offsetMinutes * 60_000;
  };
}

/**
 * The length of the counting slots, in minutes: the longest that starts every hour of the court's
 * clock on a slot boundary (whole-hour offsets, as every United States zone has: an hour; half-hour
 * offsets: half an hour; otherwise a quarter).
 */
export function slotMinutes(offsets: OffsetSegment[]): 60 | 30 | 15 {
  if (offsets.every((s) => s.offsetMinutes % 60 === 0)) return 60;
  if (offsets.every((s) => s.offsetMinutes % 30 === 0)) return 30;
  return 15;
}

/** An instant on the court's clock, written as ISO 8601 with its offset (2026-03-08T03:15:00-07:00). */
export function courtIso(offsets: OffsetSegment[]): (ms: number) => string {
  const clock = courtClock(offsets);
  return (ms) => {
    const local = clock(ms);
    const offset = Math.round((local - ms) / 60_000);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const hh = String(Math.floor(abs / 60)).padStart(2, '0');
    const mm = String(abs % 60).padStart(2, '0');
    return `${new Date(local).toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
  };
}

import { DateTime } from 'luxon';
import { businessSpan } from '../calendar/business-time';
import type { CourtProfile } from '../config/court-profile';

const DAY_MS = 86_400_000;

/**
 * The court's business time as a clock: how much open time (milliseconds) has passed at an instant
 * since the start of the court's day holding `fromMs`, on the court's calendar (hours, holidays,
 * closures: calendar/business-time.ts decides each day). The business time between two instants is
 * then one subtraction, which is what a report over half a million requests needs: a walk of the
 * calendar per request, as businessMillisBetween does, would take seconds.
 */
export function businessClock(profile: CourtProfile, fromMs: number, toMs: number): (ms: number) => number {
  const starts: number[] = [];
  const opens: number[] = [];
  const closes: number[] = [];
  const before: number[] = [];
  let passed = 0;
  const last = DateTime.fromMillis(toMs, { zone: profile.timezone }).startOf('day');
  for (
    let day = DateTime.fromMillis(fromMs, { zone: profile.timezone }).startOf('day');
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    const span = businessSpan(profile, day);
    const start = day.toMillis();
    starts.push(start);
    opens.push(span ? span[0].toMillis() : start);
    closes.push(span ? span[1].toMillis() : start);
    before.push(passed);
    passed += span ? span[1].toMillis() - span[0].toMillis() : 0;
  }
  return (ms) => {
    if (starts.length === 0 || ms < starts[0]) return 0;
    // The last day starting at or before `ms` (days are near enough 24 hours to guess, then step).
    let k = Math.min(starts.length - 1, Math.floor((ms - starts[0]) / DAY_MS));
    while (k > 0 && starts[k] > ms) k -= 1;
    while (k + 1 < starts.length && starts[k + 1] <= ms) k += 1;
    return before[k] + Math.min(Math.max(ms, opens[k]), closes[k]) - opens[k];
  };
}

/** The earliest and latest of some instants (ms), or null when there are none. */
export function extentOf(...lists: Float64Array[]): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const list of lists)
    for (let i = 0; i < list.length; i += 1) {
      if (list[i] < first) first = list[i];
      if (list[i] > last) last = list[i];
    }
  return first <= last ? { first, last } : null;
}

/** Business hours from each request's first instant to its second (pairs of milliseconds, as the repository reads them). */
export function businessHoursOfPairs(clock: (ms: number) => number, pairs: Float64Array): Float64Array {
  const hours = new Float64Array(pairs.length / 2);
  for (let i = 0; i < hours.length; i += 1) hours[i] = Math.max(0, clock(pairs[2 * i + 1]) - clock(pairs[2 * i])) / 3_600_000;
  return hours;
}

/** The median of some numbers (the mean of the middle two when there is an even number of them); null when none. Sorts them. */
export function median(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How many of `values` fall under each bound in turn (the last group: at or above the last bound). */
export function groupedBy(values: Float64Array, bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const value of values) {
    let k = 0;
    while (k < bounds.length && value >= bounds[k]) k += 1;
    counts[k] += 1;
  }
  return counts;
}

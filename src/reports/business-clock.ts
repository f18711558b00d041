import { openSpansBetween } from '../calendar/business-time';
import type { CourtProfile } from '../config/court-profile';

/**
 * The court's business time as a clock: how much open time (milliseconds) has passed at an instant
 * since the start of the court's day holding `fromMs`, on the court's calendar (hours, holidays,
 * closures: calendar/business-time.ts decides each day). The business time between two instants is
 * then one subtraction, which is what a report over half a million requests needs: a walk of the
 * calendar per request, as businessMillisBetween does, would take seconds.
 */
export function businessClock(profile: CourtProfile, fromMs: number, toMs: number): (ms: number) => number {
  const spans = openSpansBetween(profile, fromMs, toMs);
  const opens = Float64Array.from(spans, ([open]) => open);
  const closes = Float64Array.from(spans, ([, close]) => close);
  // The open time of all the open days before each one.
  const before = new Float64Array(spans.length);
  for (let k = 1; k < spans.length; k += 1) before[k] = before[k - 1] + closes[k - 1] - opens[k - 1];
  return (ms) => {
    // The last open day that opened at or before `ms`: every day before it counts whole, and its own
    // time counts up to `ms` or its close. Before the first opening, nothing has passed.
    let low = 0;
    let high = opens.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (opens[middle] <= ms) low = middle + 1;
      else high = middle;
    }
    const k = low - 1;
    return k < 0 ? 0 : before[k] + Math.min(ms, closes[k]) - opens[k];
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

import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import { WEEKDAYS } from '../config/court-profile';
import { closureOn } from './court-calendar';

// Long enough to cross any run of holidays and weekends; a profile with no hours at all stops here.
const MAX_DAYS = 400;

/** The business span of a local calendar day, or null when closed (no hours, holiday, added closure). */
function businessSpan(profile: CourtProfile, day: DateTime): [DateTime, DateTime] | null {
  const hours = profile.hours[WEEKDAYS[day.weekday - 1]];
  if (!hours || closureOn(profile, day.toISODate() as string)) return null;
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    return day.set({ hour, minute, second: 0, millisecond: 0 });
  };
  return [at(hours[0]), at(hours[1])];
}

/**
 * The instant `hours` business hours after `from`, counting only time inside the court's hours on
 * open days, in the court's zone (so a daylight-saving change shifts nothing by an hour).
 */
export function addBusinessHours(profile: CourtProfile, from: Date, hours: number): Date {
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

/** Business time between two instants, in milliseconds (0 when `to` is not after `from`). */
export function businessMillisBetween(profile: CourtProfile, from: Date, to: Date): number {
  let total = 0;
  const end = DateTime.fromJSDate(to, { zone: profile.timezone });
  let cursor = DateTime.fromJSDate(from, { zone: profile.timezone });
  for (let i = 0; i < MAX_DAYS * 10 && cursor < end; i += 1) {
    const day = cursor.startOf('day');
    const span = businessSpan(profile, day);
    if (span) {
      const start = cursor < span[0] ? span[0] : cursor;
      const stop = end < span[1] ? end : span[1];
      if (stop > start) total += stop.toMillis() - start.toMillis();
    }
    cursor = day.plus({ days: 1 });
  }
  return total;
}

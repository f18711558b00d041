import { DateTime } from 'luxon';
import type { CourtProfile, Weekday } from '../config/court-profile';
import { WEEKDAYS } from '../config/court-profile';
import { observedFederalHolidays, type Closure } from './federal-holidays';

export type { Closure };

/** Every closure in `year`: observed federal holidays (when the profile uses them) and the profile's own dates. */
export function closuresInYear(profile: CourtProfile, year: number): Closure[] {
  const cached = closureCache.get(profile)?.get(year);
  if (cached) return cached;
  const federal = profile.holidays === 'us-federal' ? observedFederalHolidays(year) : [];
  const extra = profile.closures.filter((closure) => closure.date.startsWith(`${year}-`));
  const byDate = new Map<string, Closure>();
  for (const closure of [...federal, ...extra]) if (!byDate.has(closure.date)) byDate.set(closure.date, closure);
  const closures = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  if (!closureCache.has(profile)) closureCache.set(profile, new Map());
  closureCache.get(profile)?.set(year, closures);
  return closures;
}

// Profiles are frozen at start, so a year's closures can be kept per profile object.
const closureCache = new WeakMap<CourtProfile, Map<number, Closure[]>>();

/** The closure that covers a local calendar date, if any. */
export function closureOn(profile: CourtProfile, isoDate: string): Closure | undefined {
  return closuresInYear(profile, Number(isoDate.slice(0, 4))).find((closure) => closure.date === isoDate);
}

function weekdayKey(local: DateTime): Weekday {
  return WEEKDAYS[local.weekday - 1];
}

export interface OpenState {
  open: boolean;
  /** Today's closure, when the helpdesk is closed for a holiday or an added closure. */
  closure?: Closure;
  /** Today's hours in the court's zone, when it has any. */
  todayHours?: [string, string];
}

/** Whether the helpdesk is open at `instant`, judged in the court's zone from the profile hours and closures. */
export function openStateAt(profile: CourtProfile, instant: Date): OpenState {
  const local = DateTime.fromJSDate(instant, { zone: profile.timezone });
  const closure = closureOn(profile, local.toISODate() as string);
  const hours = profile.hours[weekdayKey(local)];
  if (closure) return { open: false, closure };
  if (!hours) return { open: false };
  const now = local.toFormat('HH:mm');
  return { open: now >= hours[0] && now < hours[1], todayHours: hours };
}

/** Upcoming closures from `instant` on, at most `limit`, looking into the next calendar year. */
export function upcomingClosures(profile: CourtProfile, instant: Date, limit: number): Closure[] {
  const today = DateTime.fromJSDate(instant, { zone: profile.timezone });
  const from = today.toISODate() as string;
  return [...closuresInYear(profile, today.year), ...closuresInYear(profile, today.year + 1)]
    .filter((closure) => closure.date >= from)
    .slice(0, limit);
}

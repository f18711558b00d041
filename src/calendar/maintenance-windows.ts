import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import { WEEKDAYS } from '../config/court-profile';

/** A CM/ECF maintenance window: ISO-8601 with the court's UTC offset. */
export interface MaintenanceWindow {
  start: string;
  end: string;
}

export interface MaintenanceState {
  /** Whether `instant` falls inside a maintenance window. */
  now: boolean;
  /** The window under way, or else the next one to come; null when the profile sets none. */
  next: MaintenanceWindow | null;
}

const iso = (dt: DateTime) => dt.toISO({ suppressMilliseconds: true }) as string;
const at = (day: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * Whether CM/ECF is in its maintenance window at `instant`, and the window under way or next, from
 * the profile's weekly windows in the court's zone. Days are stepped as calendar days, so a
 * daylight-saving change moves no window.
 */
export function maintenanceAt(profile: CourtProfile, instant: Date): MaintenanceState {
  const local = DateTime.fromJSDate(instant, { zone: profile.timezone });
  const today = local.startOf('day');
  // From yesterday (a window that ends after midnight is not allowed, but costs nothing to allow for) to two weeks on.
  for (let offset = -1; offset <= 14; offset++) {
    const day = today.plus({ days: offset });
    const windows = profile.maintenance
      .filter((m) => WEEKDAYS[day.weekday - 1] === m.day)
      .map((m) => ({ start: at(day, m.start), end: at(day, m.end) }))
      .filter((w) => w.end > local)
      .sort((a, b) => a.start.toMillis() - b.start.toMillis());
    const first = windows[0];
    if (first) return { now: first.start <= local, next: { start: iso(first.start), end: iso(first.end) } };
  }
  return { now: false, next: null };
}

import { DateTime } from 'luxon';
import type { CourtProfile, Weekday } from '../config/court-profile';
import { partsOf, zoneFormatter } from './zone-formatter';
import { WEEKDAYS } from '../config/court-profile';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** A weekday as a repeating time: "Saturdays" (maintenance windows, on the status page and in FAQ answers). */
export const dayPlural = (day: Weekday): string => `${DAY_NAMES[day]}s`;

/** "09:00" → "9:00 a.m.", as people write times in the United States. */
export function clockTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  const suffix = h < 12 ? 'a.m.' : 'p.m.';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return h === 12 && m === 0 ? 'noon' : `${hour12}:${String(m).padStart(2, '0')} ${suffix}`;
}

/** The zone as people say it: "Pacific Time", "Eastern Time". */
export function zoneName(zone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

export interface HoursLine {
  days: string;
  hours: string;
}

/** Weekly hours grouped into runs of days with the same hours: "Monday to Friday: 9:00 a.m. to 4:00 p.m.". */
export function describeWeeklyHours(profile: CourtProfile): HoursLine[] {
  const lines: HoursLine[] = [];
  let run: Weekday[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const span = profile.hours[run[0]] as [string, string];
    const days = run.length === 1 ? DAY_NAMES[run[0]] : `${DAY_NAMES[run[0]]} to ${DAY_NAMES[run[run.length - 1]]}`;
    lines.push({ days, hours: `${clockTime(span[0])} to ${clockTime(span[1])}` });
    run = [];
  };
  for (const day of WEEKDAYS) {
    const span = profile.hours[day];
    const previous = run.length ? profile.hours[run[run.length - 1]] : undefined;
    if (!span) flush();
    else if (previous && (previous[0] !== span[0] || previous[1] !== span[1])) {
      flush();
      run.push(day);
    } else run.push(day);
  }
  flush();
  return lines;
}

const INSTANT: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

/** An instant shown in the court's zone: "Monday, November 23, 2026 at 9:05 a.m. PST". */
export function formatInstant(iso: string, zone: string): string {
  const parts = partsOf(zoneFormatter('instant', zone, INSTANT), new Date(iso));
  return `${parts.weekday}, ${parts.month} ${parts.day}, ${parts.year} at ${clockTime(`${parts.hour.padStart(2, '0')}:${parts.minute}`)} ${parts.timeZoneName}`;
}

const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** How long ago (or ahead) an instant is, in the largest whole unit: "3 hours ago", "yesterday". */
export function formatAge(iso: string, now: Date): string {
  const diff = Date.parse(iso) - now.getTime();
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.trunc(diff / size), unit);
  }
  return 'just now';
}

/** A calendar date in words: "Thursday, November 26, 2026". */
export function formatDate(isoDate: string): string {
  return DateTime.fromISO(isoDate).toFormat('cccc, LLLL d, yyyy');
}

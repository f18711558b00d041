import { DateTime } from 'luxon';
import { clockTime, formatInstant } from '../calendar/describe-hours';

/** A UTC ISO instant written with the court's UTC offset, as the API gives every time. */
export function isoInZone(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISO({ suppressMilliseconds: true }) as string;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * How long an outage lasted, in words: "2 hours 15 minutes", "3 days 1 hour", "45 minutes". It is
 * the time that passed, so an outage across a daylight-saving change is as long as it really was.
 */
export function describeDuration(startIso: string, endIso: string): string {
  const minutes = Math.floor((Date.parse(endIso) - Date.parse(startIso)) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  // Past a day, minutes are noise.
  const parts =
    days > 0
      ? [days && plural(days, 'day'), hours && plural(hours, 'hour')]
      : [hours && plural(hours, 'hour'), rest && plural(rest, 'minute')];
  return parts.filter(Boolean).join(' ');
}

/** A time of day in the court's zone: "9:05 a.m.". */
export function timeOfDay(iso: string, zone: string): string {
  return clockTime(DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('HH:mm'));
}

/**
 * A time as short as it can be read: "9:05 a.m. today", or "Sunday, November 1 at
 * 11:30 p.m." on another day.
 */
export function postedAt(iso: string, zone: string, now: Date): string {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  const today = DateTime.fromJSDate(now, { zone }).toISODate();
  const time = timeOfDay(iso, zone);
  return local.toISODate() === today ? `${time} today` : `${local.toFormat('cccc, LLLL d')} at ${time}`;
}

/**
 * A span of time in the court's zone, the day written once when it is one day: "Saturday, November 7,
 * 2026, from 6:00 a.m. to 10:00 a.m. PST".
 */
export function describeSpan(startIso: string, endIso: string, zone: string): string {
  const start = DateTime.fromISO(startIso, { zone: 'utc' }).setZone(zone);
  const end = DateTime.fromISO(endIso, { zone: 'utc' }).setZone(zone);
  if (!start.hasSame(end, 'day') || start.offset !== end.offset)
    return `${formatInstant(startIso, zone)} to ${formatInstant(endIso, zone)}`;
  return `${start.toFormat('cccc, LLLL d, yyyy')}, from ${timeOfDay(startIso, zone)} to ${timeOfDay(endIso, zone)} ${end.offsetNameShort}`;
}

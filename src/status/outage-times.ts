import { DateTime } from 'luxon';
import { clockTime, formatInstant } from '../calendar/describe-hours';
import type { Language } from '../i18n/i18n';

/** A UTC ISO instant written with the court's UTC offset, as the API gives every time. */
export function isoInZone(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISO({ suppressMilliseconds: true }) as string;
}

// English and Spanish make a plural the same way for these units: day(s)/día(s), hour(s)/hora(s), minute(s)/minuto(s).
const UNIT_NAMES: Record<Language, Record<'day' | 'hour' | 'minute', string>> = {
  en: { day: 'day', hour: 'hour', minute: 'minute' },
  es: { day: 'día', hour: 'hora', minute: 'minuto' },
};
const LESS_THAN_A_MINUTE: Record<Language, string> = { en: 'less than a minute', es: 'menos de un minuto' };

/**
 * How long an outage lasted, in words: "2 hours 15 minutes", "3 days 1 hour", "45 minutes". It is
 * the time that passed, so an outage across a daylight-saving change is as long as it really was.
 */
export function describeDuration(startIso: string, endIso: string, language: Language = 'en'): string {
  const plural = (n: number, unit: 'day' | 'hour' | 'minute') => `${n} ${UNIT_NAMES[language][unit]}${n === 1 ? '' : 's'}`;
  const minutes = Math.floor((Date.parse(endIso) - Date.parse(startIso)) / 60_000);
  if (minutes < 1) return LESS_THAN_A_MINUTE[language];
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
export function timeOfDay(iso: string, zone: string, language: Language = 'en'): string {
  return clockTime(DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('HH:mm'), language);
}

/** "a las 9:05 a.m.", "a la 1:05 p.m.", "al mediodía": a Spanish time after a date. */
function spanishAt(time: string): string {
  if (time === 'mediodía') return `al ${time}`;
  return time.startsWith('1:') ? `a la ${time}` : `a las ${time}`;
}

/**
 * A time as short as it can be read: "9:05 a.m. today", or "Sunday, November 1 at
 * 11:30 p.m." on another day.
 */
export function postedAt(iso: string, zone: string, now: Date, language: Language = 'en'): string {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  const today = DateTime.fromJSDate(now, { zone }).toISODate();
  const time = timeOfDay(iso, zone, language);
  if (language === 'es')
    return local.toISODate() === today
      ? `hoy ${spanishAt(time)}`
      : `el ${local.setLocale('es').toFormat("cccc d 'de' LLLL")} ${spanishAt(time)}`;
  return local.toISODate() === today ? `${time} today` : `${local.toFormat('cccc, LLLL d')} at ${time}`;
}

/**
 * A span of time in the court's zone, the day written once when it is one day: "Saturday, November 7,
 * 2026, from 6:00 a.m. to 10:00 a.m. PST".
 */
export function describeSpan(startIso: string, endIso: string, zone: string, language: Language = 'en'): string {
  const start = DateTime.fromISO(startIso, { zone: 'utc' }).setZone(zone);
  const end = DateTime.fromISO(endIso, { zone: 'utc' }).setZone(zone);
  if (language === 'es') {
    if (!start.hasSame(end, 'day') || start.offset !== end.offset)
      return `del ${formatInstant(startIso, zone, 'es')} al ${formatInstant(endIso, zone, 'es')}`;
    return `${start.setLocale('es').toFormat("cccc, d 'de' LLLL 'de' yyyy")}, de ${timeOfDay(startIso, zone, 'es')} a ${timeOfDay(endIso, zone, 'es')} ${end.offsetNameShort}`;
  }
  if (!start.hasSame(end, 'day') || start.offset !== end.offset)
    return `${formatInstant(startIso, zone)} to ${formatInstant(endIso, zone)}`;
  return `${start.toFormat('cccc, LLLL d, yyyy')}, from ${timeOfDay(startIso, zone)} to ${timeOfDay(endIso, zone)} ${end.offsetNameShort}`;
}

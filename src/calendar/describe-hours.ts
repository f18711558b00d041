import { DateTime } from 'luxon';
import type { CourtProfile, Weekday } from '../config/court-profile';
import type { Language } from '../i18n/i18n';
import { partsOf, zoneFormatter } from './zone-formatter';
import { WEEKDAYS } from '../config/court-profile';

// Every function here takes the language of the page or message last (English when not given):
// Spanish follows how US courts write it for the public (es-US: "lunes, 23 de noviembre de 2026",
// "9:05 a.m."); days of the week are not capitalised in Spanish.
const DAY_NAMES: Record<Language, Record<Weekday, string>> = {
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
  es: { mon: 'lunes', tue: 'martes', wed: 'miércoles', thu: 'jueves', fri: 'viernes', sat: 'sábado', sun: 'domingo' },
};

/** The Intl locale of a language: United States English and United States Spanish. */
export const LOCALE: Record<Language, string> = { en: 'en-US', es: 'es-US' };

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A weekday's name: "Monday", "lunes". */
export const dayName = (day: Weekday, language: Language = 'en'): string => DAY_NAMES[language][day];

/**
 * A weekday as a repeating time: "Saturdays", "sábados" (maintenance windows, on the status page and
 * in FAQ answers). Spanish days ending in -s do not change ("los lunes").
 */
export const dayPlural = (day: Weekday, language: Language = 'en'): string => {
  const name = DAY_NAMES[language][day];
  return language === 'es' ? (name.endsWith('s') ? name : `${name}s`) : `${name}s`;
};

/** "09:00" → "9:00 a.m.", as people write times in the United States (in Spanish too; noon: "mediodía"). */
export function clockTime(hhmm: string, language: Language = 'en'): string {
  const [h, m] = hhmm.split(':').map(Number);
  const suffix = h < 12 ? 'a.m.' : 'p.m.';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  if (h === 12 && m === 0) return language === 'es' ? 'mediodía' : 'noon';
  return `${hour12}:${String(m).padStart(2, '0')} ${suffix}`;
}

/** The zone as people say it: "Pacific Time", "Eastern Time"; "hora del Pacífico". */
export function zoneName(zone: string, at: Date = new Date(), language: Language = 'en'): string {
  const part = new Intl.DateTimeFormat(LOCALE[language], { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

export interface HoursLine {
  days: string;
  hours: string;
}

/**
 * Weekly hours grouped into runs of days with the same hours: "Monday to Friday: 9:00 a.m. to 4:00
 * p.m."; in Spanish "Lunes a viernes: de 9:00 a.m. a 4:00 p.m.".
 */
export function describeWeeklyHours(profile: CourtProfile, language: Language = 'en'): HoursLine[] {
  const names = DAY_NAMES[language];
  const es = language === 'es';
  const lines: HoursLine[] = [];
  let run: Weekday[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const span = profile.hours[run[0]] as [string, string];
    const first = names[run[0]];
    const last = names[run[run.length - 1]];
    const days = run.length === 1 ? first : es ? `${first} a ${last}` : `${first} to ${last}`;
    const hours = es
      ? `de ${clockTime(span[0], language)} a ${clockTime(span[1], language)}`
      : `${clockTime(span[0])} to ${clockTime(span[1])}`;
    lines.push({ days: es ? capitalise(days) : days, hours });
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

/**
 * An instant shown in the court's zone: "Monday, November 23, 2026 at 9:05 a.m. PST"; "lunes, 23 de
 * noviembre de 2026, a las 9:05 a.m. PST".
 */
export function formatInstant(iso: string, zone: string, language: Language = 'en'): string {
  const parts = partsOf(zoneFormatter('instant', zone, INSTANT, LOCALE[language]), new Date(iso));
  const time = clockTime(`${parts.hour.padStart(2, '0')}:${parts.minute}`, language);
  if (language === 'es') {
    // "a la 1:05", "a las 9:05", "al mediodía"
    const at = time === 'mediodía' ? 'al' : parts.hour === '01' || parts.hour === '13' ? 'a la' : 'a las';
    return `${parts.weekday}, ${parts.day} de ${parts.month} de ${parts.year}, ${at} ${time} ${parts.timeZoneName}`;
  }
  return `${parts.weekday}, ${parts.month} ${parts.day}, ${parts.year} at ${time} ${parts.timeZoneName}`;
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

/** A calendar date in words: "Thursday, November 26, 2026"; "jueves, 26 de noviembre de 2026". */
export function formatDate(isoDate: string, language: Language = 'en'): string {
  if (language === 'es') return DateTime.fromISO(isoDate).setLocale('es').toFormat("cccc, d 'de' LLLL 'de' yyyy");
  return DateTime.fromISO(isoDate).toFormat('cccc, LLLL d, yyyy');
}

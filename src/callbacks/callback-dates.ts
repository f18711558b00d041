import { DateTime } from 'luxon';
import { formatInstant } from '../calendar/describe-hours';
import type { Language } from '../i18n/i18n';

/** The Intl locale of each page language: United States English and United States Spanish. */
export const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build and are reused for every cell of a month. */
function formatter(language: Language, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${zone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[language], { timeZone: zone, ...options });
    formatters.set(key, f);
  }
  return f;
}

const upperFirst = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** Noon of a calendar date in the zone: a safe instant to name that date by. */
const noonOf = (isoDate: string, zone: string) => DateTime.fromISO(isoDate, { zone }).set({ hour: 12 }).toJSDate();

/** "Thursday, March 11" / "jueves, 11 de marzo". */
export function dayLabel(isoDate: string, zone: string, language: Language): string {
  return formatter(language, zone, { weekday: 'long', month: 'long', day: 'numeric' }).format(noonOf(isoDate, zone));
}

/** "March 2027" / "Marzo de 2027" (capitalised: it heads the calendar). */
export function monthLabel(yearMonth: string, zone: string, language: Language): string {
  return upperFirst(formatter(language, zone, { month: 'long', year: 'numeric' }).format(noonOf(`${yearMonth}-15`, zone)));
}

/** The seven weekday names from Sunday, short ("Sun" / "dom") and long ("Sunday" / "domingo"). */
export function weekdayNames(language: Language): Array<{ short: string; long: string }> {
  // 2027-03-07 is a Sunday.
  return Array.from({ length: 7 }, (_, i) => {
    const date = `2027-03-${String(7 + i).padStart(2, '0')}`;
    const at = noonOf(date, 'UTC');
    return {
      short: upperFirst(formatter(language, 'UTC', { weekday: 'short' }).format(at).replace(/\.$/, '')),
      long: formatter(language, 'UTC', { weekday: 'long' }).format(at),
    };
  });
}

/** The clock time of an instant: "9:15 a.m." in both languages (Intl's "AM" written as US style guides do). */
export function timeLabel(iso: string, zone: string, language: Language): string {
  const text = formatter(language, zone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  return language === 'en' ? text.replace(/\s?AM$/, ' a.m.').replace(/\s?PM$/, ' p.m.') : text;
}

/** "hora del Pacífico" / "Pacific Time". */
export function zoneLabel(zone: string, language: Language, at: Date): string {
  const part = formatter(language, zone, { timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/**
 * A call's time in full: "Thursday, March 11, 2027 at 9:00 a.m. PST" (the house style of every
 * English page) or "jueves, 11 de marzo de 2027, a las 9:00 a.m. PST".
 */
export function callTimeLabel(iso: string, zone: string, language: Language): string {
  if (language === 'en') return formatInstant(iso, zone);
  const at = new Date(iso);
  const date = formatter(language, zone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
  const abbreviation = formatter('en', zone, { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const hour = DateTime.fromJSDate(at, { zone }).hour;
  // "a la 1:00", "a las 9:00".
  const article = hour % 12 === 1 ? 'a la' : 'a las';
  return `${date}, ${article} ${timeLabel(iso, zone, language)}${abbreviation ? ` ${abbreviation}` : ''}`;
}

import { DateTime } from 'luxon';

/** A day the court is closed, as a calendar date in the court's zone. */
export interface Closure {
  date: string; // YYYY-MM-DD
  name: string;
}

type Rule = { name: string; since?: number } & ({ month: number; day: number } | { month: number; weekday: number; nth: number });

// 5 U.S.C. 6103(a). weekday: 1 = Monday … 7 = Sunday (ISO, as luxon numbers them); nth -1 = last.
const RULES: Rule[] = [
  { name: "New Year's Day", month: 1, day: 1 },
  { name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: 1, nth: 3 },
  { name: "Washington's Birthday", month: 2, weekday: 1, nth: 3 },
  { name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
  { name: 'Juneteenth National Independence Day', month: 6, day: 19, since: 2021 },
  { name: 'Independence Day', month: 7, day: 4 },
  { name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
  { name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
  { name: 'Veterans Day', month: 11, day: 11 },
  { name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
  { name: 'Christmas Day', month: 12, day: 25 },
];

function actualDate(rule: Rule, year: number): DateTime {
  if ('day' in rule) return DateTime.utc(year, rule.month, rule.day);
  if (rule.nth > 0) {
    const first = DateTime.utc(year, rule.month, 1);
    const offset = (rule.weekday - first.weekday + 7) % 7;
    return first.plus({ days: offset + 7 * (rule.nth - 1) });
  }
  const last = DateTime.utc(year, rule.month, 1).endOf('month').startOf('day');
  return last.minus({ days: (last.weekday - rule.weekday + 7) % 7 });
}

/** Saturday holidays are observed the Friday before, Sunday holidays the Monday after. */
function observed(date: DateTime): DateTime {
  if (date.weekday === 6) return date.minus({ days: 1 });
  if (date.weekday === 7) return date.plus({ days: 1 });
  return date;
}

/**
 * The observed federal holidays that fall in `year`, in date order. Includes December 31 when the
 * next New Year's Day is a Saturday, and leaves out a Saturday New Year's Day (observed the year before).
 */
export function observedFederalHolidays(year: number): Closure[] {
  const known = byYear.get(year);
  if (known) return known;
  const closures: Closure[] = [];
  for (const y of [year, year + 1]) {
    for (const rule of RULES) {
      if (rule.since && y < rule.since) continue;
      const date = observed(actualDate(rule, y));
      if (date.year === year) closures.push({ date: date.toISODate() as string, name: rule.name });
    }
  }
  closures.sort((a, b) => a.date.localeCompare(b.date));
  byYear.set(year, Object.freeze(closures) as Closure[]);
  return closures;
}

// The rules never change within a run: compute each year once.
const byYear = new Map<number, Closure[]>();

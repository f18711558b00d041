import { DateTime } from 'luxon';

// How the report page writes numbers, shares, dates and hours, and names the days under its charts.

export const n = (value: number) => value.toLocaleString('en-US');
export const plural = (count: number, one: string, many: string) => `${n(count)} ${count === 1 ? one : many}`;
export const share = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '–');
export const hours = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}`);
export const day = (date: string, format = 'cccc, LLLL d, yyyy') => DateTime.fromISO(date).toFormat(format);
export const hourName = (h: number) => (h === 0 ? 'midnight' : h === 12 ? 'noon' : `${h % 12} ${h < 12 ? 'a.m.' : 'p.m.'}`);
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The dates a range covers, in words: "November 1 to November 30, 2026". */
export function rangeInWords(from: string, to: string): string {
  if (from === to) return day(from, 'LLLL d, yyyy');
  return from.slice(0, 4) === to.slice(0, 4)
    ? `${day(from, 'LLLL d')} to ${day(to, 'LLLL d, yyyy')}`
    : `${day(from, 'LLLL d, yyyy')} to ${day(to, 'LLLL d, yyyy')}`;
}

/**
 * Days named under a per-day chart: each day of a short range, weeks of a month or two, months
 * beyond; every other one is minor (left out on a phone, where the labels would touch).
 */
export function dayTicks(dates: string[]): Array<{ index: number; text: string; minor: boolean }> {
  const minorEveryOther = (ticks: Array<{ index: number; text: string }>) =>
    ticks.map((tick, k) => ({ ...tick, minor: k % 2 === 1 }));
  if (dates.length <= 14) return minorEveryOther(dates.map((date, index) => ({ index, text: day(date, 'd') })));
  if (dates.length <= 62)
    return minorEveryOther(dates.flatMap((date, index) => (index % 7 === 0 ? [{ index, text: day(date, 'LLL d') }] : [])));
  const firsts = dates.flatMap((date, index) => (date.endsWith('-01') ? [{ index, date }] : []));
  const every = firsts.length > 12 ? 3 : firsts.length > 6 ? 2 : 1;
  return minorEveryOther(
    firsts
      .filter((_, k) => k % every === 0)
      .map(({ index, date }, k) => ({
        index,
        text: date.slice(5, 7) === '01' || k === 0 ? day(date, 'LLL yyyy') : day(date, 'LLL'),
      })),
  );
}

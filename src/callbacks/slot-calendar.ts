import { DateTime } from 'luxon';
import type { Language } from '../i18n/i18n';
import { dayLabel, monthLabel, timeLabel, weekdayNames } from './callback-dates';
import type { Slot } from './slots';

/**
 * The day-first slot picker (SPEC §15) as plain data: a month of days with the bookable ones marked,
 * then the free times of the chosen day. The page renders it as a table of links and a short radio
 * group, which works without JavaScript; public/js/slot-picker.js makes the table a keyboard grid.
 */

/** Why a `day` cannot be chosen: not a date, outside today..the last bookable day, or no free time that day. */
export type DayProblem = 'invalid_day' | 'outside_range' | 'no_times';

export interface CalendarCell {
  date: string;
  day: number;
  /** Free times that day (0: not bookable). */
  free: number;
  chosen: boolean;
  today: boolean;
  label: string;
}

export interface PickerView {
  month: string;
  monthTitle: string;
  previousMonth: string | null;
  nextMonth: string | null;
  weekdays: Array<{ short: string; long: string }>;
  /** Weeks from Sunday; null pads the days of other months. */
  weeks: Array<Array<CalendarCell | null>>;
  /** Whether any day in the whole range has a free time. */
  anyFree: boolean;
  chosenDay: string | null;
  chosenDayLabel: string | null;
  times: Array<{ start: string; label: string }>;
  selectedStart: string | null;
  selectedLabel: string | null;
}

export interface PickerInput {
  zone: string;
  language: Language;
  /** Every bookable slot from today to the last bookable day. */
  slots: Slot[];
  today: string;
  lastDay: string;
  /** YYYY-MM asked for (previous/next links); anything else falls back to the chosen day's month. */
  month?: unknown;
  chosenDay?: string | null;
  selectedStart?: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/** The local calendar date (YYYY-MM-DD) of an ISO instant in the zone. */
export function localDate(iso: string, zone: string): string | null {
  const dt = DateTime.fromISO(iso, { zone });
  return dt.isValid ? (dt.toISODate() as string) : null;
}

/** Bookable slots grouped by their local date. */
export function slotsByDay(slots: Slot[], zone: string): Map<string, Slot[]> {
  const days = new Map<string, Slot[]>();
  for (const slot of slots) {
    const date = localDate(slot.start, zone) as string;
    const list = days.get(date) ?? [];
    list.push(slot);
    days.set(date, list);
  }
  return days;
}

/** Whether `value` is a real date written YYYY-MM-DD (2027-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && DATE.test(value) && DateTime.fromISO(value).isValid;
}

/** Why the day cannot be chosen, or null when it has free times. */
export function dayProblem(value: unknown, days: Map<string, Slot[]>, today: string, lastDay: string): DayProblem | null {
  if (!isIsoDate(value)) return 'invalid_day';
  if (value < today || value > lastDay) return 'outside_range';
  return (days.get(value)?.length ?? 0) > 0 ? null : 'no_times';
}

/** The month grid and the chosen day's times, labelled in the page language. */
export function pickerView(input: PickerInput): PickerView {
  const { zone, language } = input;
  const days = slotsByDay(input.slots, zone);
  const firstMonth = input.today.slice(0, 7);
  const lastMonth = input.lastDay.slice(0, 7);
  const firstFree = [...days.keys()].sort()[0];
  let month =
    typeof input.month === 'string' && MONTH.test(input.month) && DateTime.fromISO(`${input.month}-01`).isValid
      ? input.month
      : (input.chosenDay ?? firstFree ?? input.today).slice(0, 7);
  if (month < firstMonth) month = firstMonth;
  if (month > lastMonth) month = lastMonth;

  const first = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  const weeks: Array<Array<CalendarCell | null>> = [];
  let week: Array<CalendarCell | null> = Array.from({ length: first.weekday % 7 }, () => null);
  for (let d = first; d.month === first.month; d = d.plus({ days: 1 })) {
    const date = d.toISODate() as string;
    week.push({
      date,
      day: d.day,
      free: date >= input.today && date <= input.lastDay ? (days.get(date)?.length ?? 0) : 0,
      chosen: date === input.chosenDay,
      today: date === input.today,
      label: dayLabel(date, zone, language),
    });
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);

  const chosen = input.chosenDay ?? null;
  const times = chosen
    ? (days.get(chosen) ?? []).map((s) => ({ start: s.start, label: timeLabel(s.start, zone, language) }))
    : [];
  const selected = input.selectedStart && times.some((s) => s.start === input.selectedStart) ? input.selectedStart : null;
  const step = (months: number) => first.plus({ months }).toFormat('yyyy-MM');
  return {
    month,
    monthTitle: monthLabel(month, zone, language),
    previousMonth: month > firstMonth ? step(-1) : null,
    nextMonth: month < lastMonth ? step(1) : null,
    weekdays: weekdayNames(language),
    weeks,
    anyFree: days.size > 0,
    chosenDay: chosen,
    chosenDayLabel: chosen ? dayLabel(chosen, zone, language) : null,
    times,
    selectedStart: selected,
    selectedLabel: selected && chosen ? `${dayLabel(chosen, zone, language)}, ${timeLabel(selected, zone, language)}` : null,
  };
}

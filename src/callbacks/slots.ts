import { DateTime } from 'luxon';
import { closureOn } from '../calendar/court-calendar';
import type { CourtProfile } from '../config/court-profile';
import { WEEKDAYS } from '../config/court-profile';

export interface Slot {
  /** ISO-8601 with the court's UTC offset, e.g. 2026-11-23T09:00:00-08:00. */
  start: string;
  end: string;
  remaining: number;
}

export type SlotProblem = 'outside_hours' | 'closed_day' | 'maintenance' | 'too_soon' | 'too_far' | 'not_a_slot';

const iso = (dt: DateTime) => dt.toISO({ suppressMilliseconds: true }) as string;
const at = (day: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/** Whether [start, end) overlaps the CM/ECF maintenance window of that local day. */
function inMaintenance(profile: CourtProfile, start: DateTime, end: DateTime): boolean {
  const day = start.startOf('day');
  return profile.maintenance.some((m) => WEEKDAYS[day.weekday - 1] === m.day && start < at(day, m.end) && end > at(day, m.start));
}

/**
 * Why `start` cannot be booked, or null when it is a bookable slot start: inside the day's hours on
 * an open day, on the slot grid, outside maintenance, after the minimum notice, within the horizon.
 */
export function slotProblem(profile: CourtProfile, now: Date, start: Date): SlotProblem | null {
  const { slotMinutes, minNoticeMinutes, horizonDays } = profile.callbacks;
  const local = DateTime.fromJSDate(start, { zone: profile.timezone });
  const day = local.startOf('day');
  const hours = profile.hours[WEEKDAYS[local.weekday - 1]];
  if (!hours || closureOn(profile, day.toISODate() as string)) return 'closed_day';
  const open = at(day, hours[0]);
  const close = at(day, hours[1]);
  const end = local.plus({ minutes: slotMinutes });
  if (local < open || end > close) return 'outside_hours';
  if (local.diff(open, 'minutes').minutes % slotMinutes !== 0) return 'not_a_slot';
  if (inMaintenance(profile, local, end)) return 'maintenance';
  if (start.getTime() < now.getTime() + minNoticeMinutes * 60_000) return 'too_soon';
  const last = DateTime.fromJSDate(now, { zone: profile.timezone })
    .startOf('day')
    .plus({ days: horizonDays + 1 });
  if (local >= last) return 'too_far';
  return null;
}

/**
 * Bookable slots of `days` local days from `fromDate` (YYYY-MM-DD), in the court's zone, with the
 * seats left. Days are stepped as calendar days, so a daylight-saving change moves no slot.
 */
export function bookableSlots(
  profile: CourtProfile,
  now: Date,
  fromDate: string,
  days: number,
  booked: Map<string, number>,
): Slot[] {
  const { slotMinutes, capacity } = profile.callbacks;
  const slots: Slot[] = [];
  const first = DateTime.fromISO(fromDate, { zone: profile.timezone }).startOf('day');
  for (let d = 0; d < days; d += 1) {
    const day = first.plus({ days: d });
    const hours = profile.hours[WEEKDAYS[day.weekday - 1]];
    if (!hours) continue;
    for (
      let start = at(day, hours[0]);
      start.plus({ minutes: slotMinutes }) <= at(day, hours[1]);
      start = start.plus({ minutes: slotMinutes })
    ) {
      if (slotProblem(profile, now, start.toJSDate())) continue;
      const remaining = capacity - (booked.get(start.toUTC().toISO() as string) ?? 0);
      if (remaining > 0) slots.push({ start: iso(start), end: iso(start.plus({ minutes: slotMinutes })), remaining });
    }
  }
  return slots;
}

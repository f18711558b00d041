import { DateTime } from 'luxon';
import type { CallbackMail } from '../callbacks/callback-mail';
import { callsAwaitingReminder, claimReminder } from '../callbacks/callbacks.repository';
import type { Db } from '../db/knex';

/**
 * When a call's reminder is due: the day before, at the same time on the court's clock. "The day
 * before", not "24 hours before": across a daylight-saving change those differ by an hour.
 */
export function reminderDueAt(slotStart: string, zone: string): Date {
  return DateTime.fromISO(slotStart, { zone }).minus({ days: 1 }).toJSDate();
}

// Calls starting within this window are looked at; the exact due time is checked per call.
const LOOK_AHEAD_MS = 26 * 3_600_000;

/**
 * Queues one reminder per booked call, the day before it. A call booked (or last moved) after its
 * reminder was due gets none: its confirmation or change email has only just gone out.
 */
export async function sendCallbackReminders(
  deps: { db: Db; mail: CallbackMail; zone: string },
  now: Date,
): Promise<{ reminded: number }> {
  const { db, mail, zone } = deps;
  const candidates = await callsAwaitingReminder(db, now.toISOString(), new Date(now.getTime() + LOOK_AHEAD_MS).toISOString());
  let reminded = 0;
  for (const row of candidates) {
    const due = reminderDueAt(row.slot_start, zone).getTime();
    if (due > now.getTime() || Date.parse(row.updated_at) > due) continue;
    // The marker and the mail commit together; the conditional update lets only one run claim a call.
    await db.transaction(async (trx) => {
      if (!(await claimReminder(trx, row.id, row.slot_start))) return;
      if ((await mail.reminder(trx, row)) === 'queued') reminded += 1;
    });
  }
  return { reminded };
}

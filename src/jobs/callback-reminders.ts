import type { CallbackMail } from '../callbacks/callback-mail';
import type { CallbackRow } from '../callbacks/callbacks.repository';
import type { Db } from '../db/knex';

/**
 * One reminder, 24 hours before the call. A call booked (or last moved) less than this long before it
 * gets none: its confirmation or change email has only just gone out.
 */
export const REMINDER_LEAD_HOURS = 24;

/** Queues the reminder of every booked call that starts within the next 24 hours and has not had one. */
export async function sendCallbackReminders(deps: { db: Db; mail: CallbackMail }, now: Date): Promise<{ reminded: number }> {
  const { db, mail } = deps;
  const leadMs = REMINDER_LEAD_HOURS * 3_600_000;
  const candidates = (await db('callbacks')
    .where({ status: 'booked' })
    .andWhere('slot_start', '>', now.toISOString())
    .andWhere('slot_start', '<=', new Date(now.getTime() + leadMs).toISOString())
    .andWhere((w) => w.whereNull('reminded_slot_start').orWhere('reminded_slot_start', '<>', db.ref('slot_start')))
    .orderBy('slot_start')) as Array<CallbackRow & { updated_at: string }>;
  let reminded = 0;
  for (const row of candidates) {
    if (Date.parse(row.slot_start) - Date.parse(row.updated_at) < leadMs) continue;
    // The marker and the mail commit together; the conditional update lets only one run claim a call.
    await db.transaction(async (trx) => {
      const claimed = await trx('callbacks')
        .where({ id: row.id, status: 'booked', slot_start: row.slot_start })
        .andWhere((w) => w.whereNull('reminded_slot_start').orWhere('reminded_slot_start', '<>', row.slot_start))
        .update({ reminded_slot_start: row.slot_start });
      if (claimed !== 1) return;
      if ((await mail.reminder(trx, row)) === 'queued') reminded += 1;
    });
  }
  return { reminded };
}

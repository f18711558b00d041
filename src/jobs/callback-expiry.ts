import { markNeedingOutcome } from '../callbacks/callbacks.repository';
import type { Db } from '../db/knex';

/**
 * Marks booked calls whose time has passed with no outcome recorded, so the board keeps them in front
 * of staff ("needs an outcome") after their day has gone. The manage link of such a call has already
 * stopped working: the callbacks service refuses it once the slot has ended, without waiting for this.
 */
export async function markCallbacksNeedingOutcome(db: Db, now: Date): Promise<{ marked: number }> {
  return { marked: await markNeedingOutcome(db, now.toISOString()) };
}

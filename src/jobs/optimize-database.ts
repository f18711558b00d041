import type { Db } from '../db/knex';
import { forgetExpiredHits } from '../http/rate-limit.repository';
import { refreshPlannerStatistics } from '../ops/database-maintenance.repository';

/**
 * Clears old rate-limit counts and refreshes the statistics the query planner chooses indexes by: SQLite's PRAGMA optimize, as its
 * documentation advises for a long-lived connection (the queue's partial index is chosen only with
 * them, see openDatabase); ANALYZE on PostgreSQL, whose autovacuum otherwise does it on its own schedule.
 */
export async function optimizeDatabase(
  db: Db,
  now: Date = new Date(),
): Promise<{ optimized: boolean; addressesForgotten: number }> {
  // Rate-limit counts of addresses not seen for a day: a count restarts by itself once its minute is
  // over, so only the rows of addresses that never come back are left to clear.
  const addressesForgotten = await forgetExpiredHits(db, now.getTime() - 24 * 3600_000);
  await refreshPlannerStatistics(db);
  return { optimized: true, addressesForgotten };
}

import type { Db } from '../db/knex';
import { refreshPlannerStatistics } from '../ops/database-maintenance.repository';

/**
 * Refreshes the statistics the query planner chooses indexes by: SQLite's PRAGMA optimize, as its
 * documentation advises for a long-lived connection (the queue's partial index is chosen only with
 * them, see openDatabase); ANALYZE on PostgreSQL, whose autovacuum otherwise does it on its own schedule.
 */
export async function optimizeDatabase(db: Db): Promise<{ optimized: boolean }> {
  await refreshPlannerStatistics(db);
  return { optimized: true };
}

import type { Db } from '../db/knex';

const isSqlite = (db: Db) => ['sqlite3', 'better-sqlite3'].includes(String(db.client.config.client));

/**
 * Refreshes SQLite's table statistics, as its documentation advises for a long-lived connection: the
 * query planner picks the queue's partial index only with them (see openDatabase). PostgreSQL's
 * autovacuum does this on its own, so there it is nothing.
 */
export async function optimizeDatabase(db: Db): Promise<{ optimized: boolean }> {
  if (!isSqlite(db)) return { optimized: false };
  await db.raw('PRAGMA optimize');
  return { optimized: true };
}

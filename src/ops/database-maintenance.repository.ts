import { dialectOf } from '../db/dialect';
import type { Db } from '../db/knex';

/** Writes a consistent copy of an SQLite database to `file` (VACUUM INTO: one read transaction). */
export async function copySqliteInto(db: Db, file: string): Promise<void> {
  await db.raw('VACUUM INTO ?', [file]);
}

/** What SQLite's quick_check reports of a database: ['ok'] when it found nothing wrong. */
export async function sqliteQuickCheck(db: Db): Promise<string[]> {
  const rows = (await db.raw('PRAGMA quick_check')) as Array<{ quick_check: string }>;
  return rows.map((r) => r.quick_check);
}

/** Takes an SQLite database from WAL back to a single file with nothing beside it. */
export async function useSingleFileJournal(db: Db): Promise<void> {
  await db.raw('PRAGMA journal_mode = DELETE');
}

/** Refreshes the statistics the query planner chooses indexes by, the way this database does it. */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  await dialectOf(db).optimize(db);
}

import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db/knex';
import { copySqliteInto, sqliteQuickCheck, useSingleFileJournal } from './database-maintenance.repository';

/**
 * Copies a running SQLite database to `file` with VACUUM INTO: one read transaction, so the copy is
 * the database as of one moment while other connections and processes keep writing (WAL). It is
 * written beside `file` under another name, checked (PRAGMA quick_check), then renamed into place,
 * so `file` only ever holds a whole, checked copy.
 */
export async function backupSqlite(db: Db, file: string): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  try {
    await copySqliteInto(db, partial);
    const copy = openDatabase(`sqlite://${partial}`);
    try {
      const check = await sqliteQuickCheck(copy);
      if (check.length !== 1 || check[0] !== 'ok') throw new Error(`The copy failed its check: ${check.join('; ')}`);
      // The copy is a database of its own: back from WAL to a single file, nothing beside it.
      await useSingleFileJournal(copy);
    } finally {
      await copy.destroy();
    }
    if (existsSync(file)) throw new Error(`${file} appeared while the copy was made; it was left alone.`);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
  }
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sqliteFilename } from '../../config';
import type { Dialect, WordSearch } from './dialect';

type SqliteConnection = { run(sql: string, cb: (error: Error | null) => void): void };

/** Runs `statements` one after another on a new connection, then `done`. */
function runEach(connection: SqliteConnection, statements: string[], done: (error: Error | null) => void): void {
  const [first, ...rest] = statements;
  if (first === undefined) return done(null);
  connection.run(first, (error) => (error ? done(error) : runEach(connection, rest, done)));
}

/**
 * An FTS5 query from what staff typed: each word quoted (no FTS syntax from input), the last one a
 * prefix when asked (a short range of the index).
 */
export function ftsQuery(search: WordSearch): string {
  const last = search.words.length - 1;
  return search.words.map((w, i) => `"${w}"${i === last && search.lastIsPrefix ? '*' : ''}`).join(' ');
}

/** SQLite: one file, one connection, an FTS5 table kept by triggers for search. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  // One process: a write per public POST would cost intake half its speed for nothing.
  sharedByProcesses: false,

  knexConfig(url) {
    const filename = sqliteFilename(url);
    mkdirSync(path.dirname(filename), { recursive: true });
    return {
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite serialises writers anyway, and one connection never sees SQLITE_BUSY.
      pool: {
        min: 1,
        max: 1,
        afterCreate(connection: SqliteConnection, done: (error: Error | null) => void) {
          runEach(
            connection,
            [
              'PRAGMA journal_mode = WAL',
              'PRAGMA foreign_keys = ON',
              'PRAGMA busy_timeout = 5000',
              // Query plans need table statistics (the queue's partial index is chosen only with
              // them): gather them, bounded, for tables that have none yet. Repeated by a job.
              'PRAGMA optimize = 0x10002',
            ],
            done,
          );
        },
      },
    };
  },

  tableByIndex(db, table, alias, index) {
    return db.from(db.raw(`${table} AS ${alias} INDEXED BY ${index}`));
  },

  // The search starts from the full-text index (CROSS JOIN keeps it the outer loop): its rowid is the
  // ticket id, so ordered by it matches come newest-first and reading stops after one page, however
  // many tickets match.
  async ticketsMatching(db, search) {
    return {
      query: db
        .from(db.raw('ticket_search AS s CROSS JOIN tickets AS t ON t.id = s.rowid'))
        .whereRaw('ticket_search MATCH ?', [ftsQuery(search)]),
      idColumn: 's.rowid',
    };
  },

  // As SQLite's documentation advises for a long-lived connection: the query planner picks the
  // queue's partial index only with fresh statistics.
  async optimize(db) {
    await db.raw('PRAGMA optimize');
  },
};

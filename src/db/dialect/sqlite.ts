import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sqliteFilename } from '../../config';
import type { Dialect, WordSearch } from './dialect';
import { indexWordsOf, porterStem } from './sqlite-index-words';

type SqliteConnection = { run(sql: string, cb: (error: Error | null) => void): void };

/** Runs `statements` one after another on a new connection, then `done`. */
function runEach(connection: SqliteConnection, statements: string[], done: (error: Error | null) => void): void {
  const [first, ...rest] = statements;
  if (first === undefined) return done(null);
  connection.run(first, (error) => (error ? done(error) : runEach(connection, rest, done)));
}

/**
 * An FTS5 query from what staff typed: each word quoted (no FTS syntax from input), the last one a
 * prefix when asked (a short range of the index). A word with alternatives (a likely typo) matches
 * any of them. An alternative is an index word (a stem), which the query stems again: the few stems
 * that stemming changes ("agre", of "agreed", becomes "agr") are matched as the start of a word instead.
 */
export function ftsQuery(search: WordSearch): string {
  const last = search.words.length - 1;
  const alternatives = search.alternatives ?? [];
  const terms = search.words.map((w, i) => {
    const typed = `"${w}"${i === last && search.lastIsPrefix ? '*' : ''}`;
    const others = alternatives[i] ?? [];
    const alternative = (o: string) => `"${o}"${porterStem(o) === o ? '' : '*'}`;
    return others.length === 0 ? typed : `(${[typed, ...others.map(alternative)].join(' OR ')})`;
  });
  // FTS5 reads words side by side as AND, but not after a parenthesis: there it must be written.
  return terms.join(alternatives.some((others) => others.length > 0) ? ' AND ' : ' ');
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

  async searchFinds(db, word, prefix) {
    const rows = (await db.raw('SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? LIMIT 1', [
      ftsQuery({ words: [word], lastIsPrefix: prefix }),
    ])) as unknown[];
    return rows.length > 0;
  },

  // The index's words, held in memory and kept current (sqlite-index-words.ts).
  async indexedWords(db, start, lengths, limit) {
    return (await indexWordsOf(db)).startingWith(start, lengths, limit);
  },

  // As SQLite's documentation advises for a long-lived connection: the query planner picks the
  // queue's partial index only with fresh statistics.
  async optimize(db) {
    await db.raw('PRAGMA optimize');
  },

  // A transaction is one snapshot of a database in WAL mode.
  readForReport(db, reads) {
    return db.transaction(async (trx) => {
      const results: Record<string, unknown> = {};
      for (const [name, read] of Object.entries(reads)) results[name] = await read(trx);
      return results as never;
    });
  },
};

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

/** SQLite: one file, one connection, FTS5 for search, the intake view for writes. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',

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

  writesTicketsThroughIntakeView: true,

  tableByIndex(db, table, alias, index) {
    return db.from(db.raw(`${table} AS ${alias} INDEXED BY ${index}`));
  },

  // The search starts from the full-text index (CROSS JOIN keeps it the outer loop): its rowid is the
  // ticket id, so ordered by it matches come newest-first and reading stops after one page, however
  // many tickets match.
  ticketsMatching(db, search) {
    return {
      query: db
        .from(db.raw('ticket_search AS s CROSS JOIN tickets AS t ON t.id = s.rowid'))
        .whereRaw('ticket_search MATCH ?', [ftsQuery(search)]),
      idColumn: 's.rowid',
    };
  },

  // One transaction: rows of tickets already indexed get the new messages appended, new tickets get a
  // row. Safe from several processes: the checkpoint moves inside the transaction.
  indexPendingMessages(db) {
    return db.transaction(async (trx) => {
      const state = (await trx('search_index_state').where({ id: 1 }).first()) as { indexed_through_message_id: number };
      const from = state.indexed_through_message_id;
      const [{ through }] = (await trx('ticket_messages').max({ through: 'id' })) as Array<{ through: number | null }>;
      if (!through || through <= from) return 0;
      await trx.raw(
        `UPDATE ticket_search SET body = body || char(10) ||
           (SELECT group_concat(body_text, char(10)) FROM ticket_messages WHERE ticket_id = ticket_search.rowid AND id > ? AND id <= ?)
         WHERE rowid IN (SELECT ticket_id FROM ticket_messages WHERE id > ? AND id <= ?)`,
        [from, through, from, through],
      );
      await trx.raw(
        `INSERT INTO ticket_search (rowid, subject, body)
         SELECT t.id, t.subject, group_concat(m.body_text, char(10))
         FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
         WHERE m.id > ? AND m.id <= ? AND NOT EXISTS (SELECT 1 FROM ticket_search s WHERE s.rowid = t.id)
         GROUP BY t.id`,
        [from, through],
      );
      await trx('search_index_state').where({ id: 1 }).update({ indexed_through_message_id: through });
      return through - from;
    });
  },

  async mergeSearchEntries(trx, fromTicketId, intoTicketId) {
    await trx.raw(
      `UPDATE ticket_search SET body = body || coalesce(char(10) || (SELECT subject || char(10) || body FROM ticket_search WHERE rowid = ?), '') WHERE rowid = ?`,
      [fromTicketId, intoTicketId],
    );
    await trx.raw('DELETE FROM ticket_search WHERE rowid = ?', [fromTicketId]);
  },

  // As SQLite's documentation advises for a long-lived connection: the query planner picks the
  // queue's partial index only with fresh statistics.
  async optimize(db) {
    await db.raw('PRAGMA optimize');
  },
};

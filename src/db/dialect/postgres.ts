import { types } from 'pg';
import type { Dialect, WordSearch } from './dialect';

// Counts come back as bigint, which pg hands over as text to keep every digit. Ours (counts, ids)
// are far below 2^53: read them as numbers, as SQLite gives them, for this connection only.
const typeParsers = {
  getTypeParser: (oid: number, format: string) =>
    oid === types.builtins.INT8 && format !== 'binary'
      ? Number
      : types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text'),
};

/** A tsquery for one word from the search box (letters and digits only, so no tsquery syntax). */
function tsQueryWord(word: string, prefix: boolean): string {
  return `'${word}'${prefix ? ':*' : ''}`;
}

/** PostgreSQL: a pool of connections, search by expression indexes (no index of its own to keep). */
export const postgresDialect: Dialect = {
  name: 'postgres',

  knexConfig(url) {
    return {
      client: 'pg',
      connection: { connectionString: url, types: typeParsers },
      pool: { min: 0, max: 10 },
    };
  },

  // The planner chooses well by itself.
  tableByIndex(db, table, alias) {
    return db(`${table} as ${alias}`);
  },

  // Each word in the subject or in any message (as SQLite's one index of subject and messages finds
  // it). Each word's tickets come from the expression indexes tickets_subject_fts and
  // ticket_messages_body_fts; a stop word ("the"), which would leave an empty query matching
  // nothing, is left out instead.
  ticketsMatching(db, search: WordSearch) {
    const last = search.words.length - 1;
    const query = db('tickets as t');
    search.words.forEach((word, i) => {
      const tsquery = tsQueryWord(word, i === last && search.lastIsPrefix);
      query.where((w) =>
        w.whereRaw(`numnode(to_tsquery('english', ?)) = 0`, [tsquery]).orWhereIn(
          't.id',
          db('tickets')
            .select('id')
            .whereRaw(`to_tsvector('english', subject) @@ to_tsquery('english', ?)`, [tsquery])
            .unionAll(
              db('ticket_messages')
                .select('ticket_id')
                .whereRaw(`to_tsvector('english', body_text) @@ to_tsquery('english', ?)`, [tsquery]),
            ),
        ),
      );
    });
    return { query, idColumn: 't.id' };
  },

  // Autovacuum analyses on its own schedule; the job makes sure statistics are never long stale.
  async optimize(db) {
    await db.raw('ANALYZE');
  },
};

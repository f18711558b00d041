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

/** How many of the newest tickets a word search looks at first to judge how common its words are. */
const RECENT = 2000;

/** PostgreSQL: a pool of connections, search by expression indexes (no index of its own to keep). */
export const postgresDialect: Dialect = {
  name: 'postgres',
  sharedByProcesses: true,

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

  // Every word in the ticket's search document (its subject and messages, kept by triggers: migration
  // 20261203170000_index_ticket_search_documents), as SQLite's FTS5 table finds it. One tsquery over one
  // indexed column lets the planner weigh how many tickets match: a common word is read newest-first
  // from the primary key, stopping after a page; a rare one from the GIN index. A stop word ("the")
  // drops out of the tsquery; a search of stop words only (an empty tsquery) lists every ticket.
  async ticketsMatching(db, search: WordSearch) {
    const last = search.words.length - 1;
    const text = search.words.map((word, i) => tsQueryWord(word, i === last && search.lastIsPrefix)).join(' & ');
    // How many of the newest tickets match (a bounded look, under a millisecond): none, and the
    // planner, which guesses a word it has no statistics for to be on one ticket in 200, would walk
    // every ticket newest-first looking for it.
    const [{ tsquery, recent }] = (
      await db.raw<{ rows: Array<{ tsquery: string | null; recent: number }> }>(
        `SELECT CASE WHEN numnode(q) > 0 THEN q::text END AS tsquery,
          (SELECT count(*) FROM (SELECT document FROM ticket_search ORDER BY ticket_id DESC LIMIT ${RECENT}) r
            WHERE numnode(q) > 0 AND r.document @@ q) AS recent
        FROM to_tsquery('english', ?) AS q`,
        [text],
      )
    ).rows;
    if (!tsquery) return { query: db('ticket_search as s').join('tickets as t', 't.id', 's.ticket_id'), idColumn: 's.ticket_id' };
    if (Number(recent) > 0) {
      const query = db('ticket_search as s')
        .join('tickets as t', 't.id', 's.ticket_id')
        .whereRaw('s.document @@ ?::tsquery', [tsquery]);
      return { query, idColumn: 's.ticket_id' };
    }
    // Few matches, if any: all of them from the GIN index (OFFSET 0 keeps the planner from walking
    // the tickets instead), then sorted.
    const query = db
      .from(db.raw('(SELECT ticket_id FROM ticket_search WHERE document @@ ?::tsquery OFFSET 0) AS s', [tsquery]))
      .join('tickets as t', 't.id', 's.ticket_id');
    return { query, idColumn: 's.ticket_id' };
  },

  // Autovacuum analyses on its own schedule; the job makes sure statistics are never long stale.
  async optimize(db) {
    await db.raw('ANALYZE');
  },
};

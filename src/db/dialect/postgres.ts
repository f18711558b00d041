import type { Knex } from 'knex';
import { types } from 'pg';
import { pastPrefix, type Dialect, type WordSearch } from './dialect';

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

/**
 * The tsquery of a word search, as SQL and its bindings: the typed words through the English
 * dictionary (to_tsquery), and a word's alternatives (index words, lexemes already) cast as they are.
 */
function tsQuerySql(search: WordSearch): { sql: string; bindings: string[] } {
  const last = search.words.length - 1;
  const typed = search.words.map((word, i) => tsQueryWord(word, i === last && search.lastIsPrefix));
  const alternatives = search.alternatives ?? [];
  if (!alternatives.some((others) => others.length > 0))
    return { sql: "to_tsquery('english', ?)", bindings: [typed.join(' & ')] };
  const parts = typed.map((word, i) => {
    const others = alternatives[i] ?? [];
    return others.length === 0
      ? { sql: "to_tsquery('english', ?)", bindings: [word] }
      : { sql: "(to_tsquery('english', ?) || ?::tsquery)", bindings: [word, others.map((o) => `'${o}'`).join(' | ')] };
  });
  return { sql: parts.map((p) => p.sql).join(' && '), bindings: parts.flatMap((p) => p.bindings) };
}

/** How many of the newest tickets a word search looks at first to judge how common its words are. */
const RECENT = 2000;

const REPORT_SETTINGS = 'SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1';
// Connections a report reads on besides its own (the reads are a few, each a second's work at most).
const REPORT_HELPERS = 2;

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
    const tsquery = tsQuerySql(search);
    // How many of the newest tickets match (a bounded look, under a millisecond): none, and the
    // planner, which guesses a word it has no statistics for to be on one ticket in 200, would walk
    // every ticket newest-first looking for it.
    const [{ query: text, recent }] = (
      await db.raw<{ rows: Array<{ query: string | null; recent: number }> }>(
        `SELECT CASE WHEN numnode(q) > 0 THEN q::text END AS query,
          (SELECT count(*) FROM (SELECT document FROM ticket_search ORDER BY ticket_id DESC LIMIT ${RECENT}) r
            WHERE numnode(q) > 0 AND r.document @@ q) AS recent
        FROM (SELECT ${tsquery.sql} AS q) AS typed`,
        tsquery.bindings,
      )
    ).rows;
    if (!text) return { query: db('ticket_search as s').join('tickets as t', 't.id', 's.ticket_id'), idColumn: 's.ticket_id' };
    if (Number(recent) > 0) {
      const query = db('ticket_search as s')
        .join('tickets as t', 't.id', 's.ticket_id')
        .whereRaw('s.document @@ ?::tsquery', [text]);
      return { query, idColumn: 's.ticket_id' };
    }
    // Few matches, if any: all of them from the GIN index (OFFSET 0 keeps the planner from walking
    // the tickets instead), then sorted.
    const query = db
      .from(db.raw('(SELECT ticket_id FROM ticket_search WHERE document @@ ?::tsquery OFFSET 0) AS s', [text]))
      .join('tickets as t', 't.id', 's.ticket_id');
    return { query, idColumn: 's.ticket_id' };
  },

  // The index words are kept in ticket_search_words by a trigger (migration
  // 20261203200200_create_ticket_search_words); a word the dictionary drops (a stop word) is ignored
  // by the search, so it counts as found.
  async searchFinds(db, word, prefix) {
    const { rows } = await db.raw<{ rows: Array<{ finds: boolean }> }>(
      `SELECT coalesce((SELECT EXISTS (SELECT 1 FROM ticket_search_words w
          WHERE CASE WHEN ? THEN w.term >= l AND w.term < l || chr(1114111) ELSE w.term = l END)
        FROM unnest(tsvector_to_array(to_tsvector('english', ?))) AS l LIMIT 1), true) AS finds`,
      [prefix, word],
    );
    return rows[0].finds;
  },

  async indexedWords(db, start, lengths, limit) {
    const rows = (await db('ticket_search_words')
      .distinct('term')
      .where('term', '>=', start)
      .andWhere('term', '<', pastPrefix(start))
      .andWhereRaw('length(term) BETWEEN ? AND ?', [lengths.min, lengths.max])
      .orderBy('term')
      .limit(limit)) as Array<{ term: string }>;
    return rows.map((row) => row.term);
  },

  // Autovacuum analyses on its own schedule; the job makes sure statistics are never long stale.
  async optimize(db) {
    await db.raw('ANALYZE');
  },

  // One transaction exports its snapshot and works through the reads; up to REPORT_HELPERS more take
  // the snapshot up and share the work, on connections of their own. It waits only for a helper that
  // has started: one still waiting for a connection (the pool may be busy) finds nothing left to do,
  // so reports never wait on each other. A report reads a year of an index at a time: with the
  // default cost of a random page (4, for disks that seek) the planner reads the whole table instead,
  // twice as long where the indexes are cached.
  async readForReport(db, reads) {
    const settings = { isolationLevel: 'repeatable read', readOnly: true } as const;
    const queue = Object.entries(reads);
    const results: Record<string, unknown> = {};
    const work = async (q: Knex) => {
      for (let next = queue.shift(); next; next = queue.shift()) results[next[0]] = await next[1](q);
    };
    await db.transaction(async (trx) => {
      await trx.raw(REPORT_SETTINGS);
      const { rows } = await trx.raw<{ rows: Array<{ snapshot: string }> }>('SELECT pg_export_snapshot() AS snapshot');
      const snapshot = rows[0].snapshot.replace(/'/g, "''");
      let finished = false;
      const working: Array<Promise<void>> = [];
      for (let k = 0; k < Math.min(REPORT_HELPERS, queue.length - 1); k += 1)
        void db
          .transaction(async (other) => {
            if (finished || queue.length === 0) return;
            const done = (async () => {
              await other.raw(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
              await other.raw(REPORT_SETTINGS);
              await work(other);
            })();
            working.push(done);
            await done;
          }, settings)
          .catch(() => {}); // a helper's failure reaches the report through `working`
      await work(trx);
      finished = true;
      await Promise.all(working);
    }, settings);
    return results as never;
  },
};

import type { Knex } from 'knex';

/** Words staff typed into the queue's search box, cleaned of any search syntax. */
export interface WordSearch {
  words: string[];
  /** The last word is taken as the start of a word ("exhib" finds "exhibit"). */
  lastIsPrefix: boolean;
  /**
   * For each word, words as the search index holds them (stems) that also match in its place: the
   * likely meanings of a word no ticket holds, a typo ("pasword" → password). Empty: the word alone.
   */
  alternatives?: ReadonlyArray<readonly string[]>;
}

/**
 * What differs between SQLite and PostgreSQL, one implementation each (in the manner of Directus's
 * per-dialect helpers). Repositories ask it; nothing else asks which database it is.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Whether several processes serve from this database, so that what a process counts in memory (the
   * public POST limit) must be counted in the database instead. SQLite is for one process (README).
   */
  readonly sharedByProcesses: boolean;
  /** knex's settings for the database at `url` (client, connection, pool). */
  knexConfig(url: string): Knex.Config;
  /** `table AS alias`, read through `index` where the planner must be told to (SQLite's INDEXED BY). */
  tableByIndex(db: Knex, table: string, alias: string, index: string): Knex.QueryBuilder;
  /**
   * Tickets (`t`) whose subject or messages hold every word, and the column that orders them by
   * ticket id (the same number) in the way the search reads fastest. The database keeps its own
   * full-text index current with every write (migrations 20261203160100_index_ticket_search_by_triggers
   * on SQLite, 20261203170000_index_ticket_search_documents on PostgreSQL).
   */
  ticketsMatching(db: Knex, search: WordSearch): Promise<{ query: Knex.QueryBuilder; idColumn: string }>;
  /**
   * Whether a word search for `word` alone (the start of a word when `prefix`) would find a ticket,
   * or the search ignores the word (a stop word): a word that finds nothing may be a typo.
   */
  searchFinds(db: Knex, word: string, prefix: boolean): Promise<boolean>;
  /**
   * Words of the search index (stems, as it holds them: "exhibit", "registr") that start with `start`
   * and are `minLength` to `maxLength` characters long, letters only; at most `limit`. What a
   * mistyped word is corrected against (the table or view ticket_search_words on each database).
   */
  indexedWords(db: Knex, start: string, lengths: { min: number; max: number }, limit: number): Promise<string[]>;
  /** Refreshes the statistics the query planner chooses indexes by. */
  optimize(db: Knex): Promise<void>;
  /**
   * Runs the reads of a staff report, each given a connection to read with, all seeing one state of
   * the database (read-only transactions). SQLite runs them one after another in one transaction
   * (its one connection reads in order anyway); PostgreSQL runs them at once, on connections sharing
   * one snapshot, and without JIT compilation, which for these queries (thousands of short index
   * reads, estimated dear) took longer than running them.
   */
  readForReport<R extends Record<string, (q: Knex) => Promise<unknown>>>(
    db: Knex,
    reads: R,
  ): Promise<{ [K in keyof R]: Awaited<ReturnType<R[K]>> }>;
}

/** Above every string that starts with `start`, in byte order (how both databases sort the index's words). */
export const pastPrefix = (start: string) => `${start}\u{10FFFF}`;

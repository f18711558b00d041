import type { Knex } from 'knex';

/** Words staff typed into the queue's search box, cleaned of any search syntax. */
export interface WordSearch {
  words: string[];
  /** The last word is taken as the start of a word ("exhib" finds "exhibit"). */
  lastIsPrefix: boolean;
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
  /** Refreshes the statistics the query planner chooses indexes by. */
  optimize(db: Knex): Promise<void>;
}

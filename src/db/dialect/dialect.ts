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
  /** knex's settings for the database at `url` (client, connection, pool). */
  knexConfig(url: string): Knex.Config;
  /**
   * Whether new tickets are written through the `ticket_intake` view, one statement per batch
   * (SQLite, see src/db/ticket-intake-view.ts), rather than table by table in a transaction.
   */
  readonly writesTicketsThroughIntakeView: boolean;
  /** `table AS alias`, read through `index` where the planner must be told to (SQLite's INDEXED BY). */
  tableByIndex(db: Knex, table: string, alias: string, index: string): Knex.QueryBuilder;
  /**
   * Tickets (`t`) whose subject or messages hold every word, and the column that orders them by
   * ticket id (the same number) in the way the search reads fastest.
   */
  ticketsMatching(db: Knex, search: WordSearch): { query: Knex.QueryBuilder; idColumn: string };
  /** Brings the full-text index up to date with messages stored since the last run; how many ids it covered. */
  indexPendingMessages(db: Knex): Promise<number>;
  /** After a merge moved a ticket's messages, its search entry joins the target's. */
  mergeSearchEntries(trx: Knex, fromTicketId: number, intoTicketId: number): Promise<void>;
  /** Refreshes the statistics the query planner chooses indexes by. */
  optimize(db: Knex): Promise<void>;
}

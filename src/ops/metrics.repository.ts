import type { Db } from '../db/knex';

/**
 * Counts read at scrape time for GET /metrics. Read here, across capabilities, because they are the
 * database's facts (every process writes them) and a scrape only reads: one grouped count per table.
 */
async function countBy<K extends string>(
  db: Db,
  table: string,
  columns: K[],
): Promise<Array<Record<K, string | null> & { n: number }>> {
  const rows = (await db(table).select(columns).count({ n: '*' }).groupBy(columns)) as Array<
    Record<K, string | null> & { n: number | string }
  >;
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Tickets by status. */
export const countTicketsByStatus = (db: Db) => countBy(db, 'tickets', ['status']);

/** Stored inbound mail by status (received, processed, quarantined) and kind (null until processed). */
export const countInboundMail = (db: Db) => countBy(db, 'inbound_mail', ['status', 'kind']);

/** Outgoing mail by status (pending, sending, sent, failed, suppressed). */
export const countOutbox = (db: Db) => countBy(db, 'outbox', ['status']);

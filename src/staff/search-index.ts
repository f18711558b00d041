import type { Knex } from 'knex';

const isSqlite = (db: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(db.client.config.client));

/**
 * Brings the full-text index up to date with every message stored since the last run, in one
 * transaction: rows of tickets already indexed get the new messages appended, new tickets get a row.
 * Runs after intake (batched, off the request's path) and before each staff word search, so search
 * is always current. Safe to run from several processes: the checkpoint moves inside the transaction.
 * PostgreSQL searches with expression indexes and needs none of this.
 */
export async function indexPendingMessages(db: Knex): Promise<number> {
  if (!isSqlite(db)) return 0;
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
}

/** Runs the indexer soon after intake, at most every `everyMs`, never twice at once in this process. */
export function searchIndexer(db: Knex, everyMs = 500, onError: (error: unknown) => void = () => {}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const run = () => {
    timer = undefined;
    running ??= indexPendingMessages(db)
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    /** Something was stored: index it shortly, together with whatever else arrives meanwhile. */
    soon() {
      if (stopped) return;
      timer ??= setTimeout(run, everyMs);
      timer.unref?.();
    },
    /** Index now (staff are about to search). */
    async now() {
      await running;
      await indexPendingMessages(db);
    },
    /**
     * No run starts after this; resolves when a run under way has finished. Called before the
     * database closes: a run that started while it closed would wait for a connection that never
     * comes (a minute, keeping a finished command alive) and then fail.
     */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type SearchIndexer = ReturnType<typeof searchIndexer>;

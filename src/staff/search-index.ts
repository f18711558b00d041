import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect';

/**
 * Brings the full-text index up to date with every message stored since the last run (SQLite's FTS5
 * table; PostgreSQL searches with expression indexes and needs none of this). Runs after intake
 * (batched, off the request's path) and before each staff word search, so search is always current.
 */
export function indexPendingMessages(db: Knex): Promise<number> {
  return dialectOf(db).indexPendingMessages(db);
}

/** After a merge moved a ticket's messages to another: the index catches up, and the two search entries become one. */
export async function mergeSearchEntries(trx: Knex, fromTicketId: number, intoTicketId: number): Promise<void> {
  await indexPendingMessages(trx);
  await dialectOf(trx).mergeSearchEntries(trx, fromTicketId, intoTicketId);
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

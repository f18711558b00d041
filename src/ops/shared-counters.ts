import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import { addToCounters, readCounters, type CounterDelta } from './ops-counters.repository';

// How often a process adds what it counted to the database. What a crash loses is at most this much.
const FLUSH_MS = 10_000;

/** The counters every process adds to; their label names, in the order they are stored. */
export const SHARED_COUNTERS = {
  job_runs: ['job', 'outcome'],
  scope_guard_outcomes: ['outcome', 'channel'],
} as const;

export type SharedCounterName = keyof typeof SHARED_COUNTERS;
type Labels<N extends SharedCounterName> = Record<(typeof SHARED_COUNTERS)[N][number], string>;

/**
 * Counts kept in the database, not in the process: a mail or jobs process does not listen, so its
 * own prom-client counters could never be scraped. Counts gather in memory and are added to the
 * database every few seconds (one upsert), on close, and before each scrape of this process.
 */
export function createSharedCounters(deps: { db: Db; log: Logger; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  let pending = new Map<string, CounterDelta>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    writing = writing.then(async () => {
      if (pending.size === 0) return;
      const deltas = [...pending.values()];
      pending = new Map();
      try {
        await addToCounters(deps.db, deltas, now().toISOString());
      } catch (error) {
        // Kept for the next try; metrics are not worth failing anything over.
        for (const d of deltas) add(d.name, d.labels, d.value);
        deps.log.warn({ err: error }, 'could not save the shared metrics counters');
      }
    });
    return writing;
  }

  function add(name: string, labels: string, value: number) {
    const key = `${name}\u0000${labels}`;
    const delta = pending.get(key) ?? { name, labels, value: 0 };
    delta.value += value;
    pending.set(key, delta);
    if (!timer && !closed) {
      timer = setTimeout(() => void flush(), FLUSH_MS);
      timer.unref();
    }
  }

  return {
    /** Counts one (or `by`) for counter `name` with these labels. */
    inc<N extends SharedCounterName>(name: N, labels: Labels<N>, by = 1): void {
      const values = Object.fromEntries(SHARED_COUNTERS[name].map((label) => [label, labels[label as keyof Labels<N>]]));
      add(name, JSON.stringify(values), by);
    },
    flush,
    /** Every process's totals for counter `name` (this process's counts saved first). */
    async totals<N extends SharedCounterName>(name: N): Promise<Array<{ labels: Labels<N>; value: number }>> {
      await flush();
      return (await readCounters(deps.db, name)).map((r) => ({ labels: JSON.parse(r.labels) as Labels<N>, value: r.value }));
    },
    /** Saves what is left and counts no more in the background (the database is about to close). */
    async close(): Promise<void> {
      closed = true;
      await flush();
    },
  };
}

export type SharedCounters = ReturnType<typeof createSharedCounters>;

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { measureUnmeasuredResolutions } from '../tickets/resolution-clock';

const BATCH = 500;
// A first run after an upgrade may find years of finished tickets: it works for at most this long,
// and the next run goes on where it stopped.
const RUN_MS = 60_000;

/**
 * Stores the time to resolve of resolved and closed tickets that have none: those finished before
 * it was stored when they were finished (src/tickets/resolution-clock.ts). Nothing to do afterwards,
 * and finding that out reads an empty index.
 */
export async function measureResolutionTimes(
  db: Db,
  profile: CourtProfile,
  clock: () => number = Date.now,
): Promise<{ measured: number; more: boolean }> {
  const started = clock();
  let measured = 0;
  for (;;) {
    const count = await measureUnmeasuredResolutions(db, profile, BATCH);
    measured += count;
    if (count < BATCH) return { measured, more: false };
    if (clock() - started > RUN_MS) return { measured, more: true };
  }
}

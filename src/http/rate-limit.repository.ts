import type { Knex } from 'knex';

/**
 * Counts one hit for `key` in its window and answers the count so far and when it starts again. One
 * statement: an insert that, on a conflict, starts a new window when the old one has run out and
 * otherwise adds one, so two web processes counting at once never lose a hit.
 */
export async function countHit(db: Knex, key: string, now: number, windowMs: number): Promise<{ hits: number; resetAt: number }> {
  const rows = (await db('rate_limit_hits')
    .insert({ key, hits: 1, reset_at: now + windowMs })
    .onConflict('key')
    .merge({
      hits: db.raw('CASE WHEN rate_limit_hits.reset_at <= ? THEN 1 ELSE rate_limit_hits.hits + 1 END', [now]),
      reset_at: db.raw('CASE WHEN rate_limit_hits.reset_at <= ? THEN ? ELSE rate_limit_hits.reset_at END', [now, now + windowMs]),
    })
    .returning(['hits', 'reset_at'])) as Array<{ hits: number | string; reset_at: number | string }>;
  return { hits: Number(rows[0].hits), resetAt: Number(rows[0].reset_at) };
}

/** Takes back one hit (express-rate-limit does when a request is not to be counted after all). */
export async function uncountHit(db: Knex, key: string): Promise<void> {
  await db('rate_limit_hits').where({ key }).andWhere('hits', '>', 0).decrement('hits', 1);
}

export async function forgetHits(db: Knex, key: string): Promise<void> {
  await db('rate_limit_hits').where({ key }).delete();
}

/** Drops the counts whose window ended before `before` (addresses that have not come back). */
export async function forgetExpiredHits(db: Knex, before: number): Promise<number> {
  return db('rate_limit_hits').where('reset_at', '<', before).delete();
}

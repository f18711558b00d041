import type { Knex } from 'knex';

/** The times of the newest `limit` failures under `key` since `since`, newest first. */
export async function recentFailureTimes(db: Knex, key: string, since: string, limit: number): Promise<string[]> {
  const rows = (await db('sign_in_failures')
    .where({ key })
    .andWhere('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .select('at')) as Array<{ at: string }>;
  return rows.map((row) => row.at);
}

/** Records one failure under each key, and forgets this key's failures older than `before`. */
export async function recordFailures(db: Knex, keys: string[], at: string, before: string): Promise<void> {
  await db('sign_in_failures').insert(keys.map((key) => ({ key, at })));
  await db('sign_in_failures').whereIn('key', keys).andWhere('at', '<=', before).delete();
}

export async function clearFailures(db: Knex, keys: string[]): Promise<void> {
  await db('sign_in_failures').whereIn('key', keys).delete();
}

import type { Db } from '../db/knex';

/**
 * Takes the lease of job `name` for `holder` until `expiresAt`, when it is free or expired. One
 * statement: an insert that, on a conflict, takes over the row only if its lease has run out. Two
 * processes racing get one row back between them, whichever the database lets in first.
 */
export async function acquireLease(db: Db, name: string, holder: string, at: Date, expiresAt: Date): Promise<boolean> {
  const now = at.toISOString();
  const taken = (await db('job_leases')
    .insert({ name, holder, acquired_at: now, expires_at: expiresAt.toISOString() })
    .onConflict('name')
    .merge(['holder', 'acquired_at', 'expires_at'])
    .where('job_leases.expires_at', '<=', now)
    .returning('holder')) as Array<{ holder: string }>;
  return taken.length === 1 && taken[0].holder === holder;
}

/**
 * Gives the lease back as of `freeFrom` (a time already past frees it at once), if `holder` still has
 * it: an expired lease may have passed to someone else.
 */
export async function releaseLease(db: Db, name: string, holder: string, freeFrom: Date): Promise<void> {
  await db('job_leases').where({ name, holder }).update({ expires_at: freeFrom.toISOString() });
}

import type { Knex } from 'knex';

/** Whether any staff account exists, enabled or not. */
export async function anyStaffAccount(db: Knex): Promise<boolean> {
  return (await db('staff_users').first('id')) !== undefined;
}

export async function insertSetupToken(db: Knex, token: { hash: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db('setup_tokens').insert({ token_hash: token.hash, created_at: token.createdAt, expires_at: token.expiresAt });
}

export type SetupTokenState = 'unknown' | 'used' | 'expired' | 'valid';

export async function setupTokenState(db: Knex, hash: string, now: string): Promise<SetupTokenState> {
  const row = (await db('setup_tokens').where({ token_hash: hash }).first('used_at', 'expires_at')) as
    { used_at: string | null; expires_at: string } | undefined;
  if (!row) return 'unknown';
  if (row.used_at) return 'used';
  return row.expires_at <= now ? 'expired' : 'valid';
}

/**
 * Uses up every set-up link at once, provided `hash` is one still valid; returns whether it was.
 * One statement: when two people submit set-up at the same moment (each with a link from a different
 * process), the second waits for the first's row locks and then finds nothing left to use.
 */
export async function useUpSetupTokens(trx: Knex.Transaction, hash: string, now: string): Promise<boolean> {
  const updated = await trx('setup_tokens')
    .whereNull('used_at')
    .whereExists((q) =>
      q
        .select(trx.raw('1'))
        .from('setup_tokens as mine')
        .where('mine.token_hash', hash)
        .whereNull('mine.used_at')
        .where('mine.expires_at', '>', now),
    )
    .update({ used_at: now });
  return updated > 0;
}

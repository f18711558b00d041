import type { Knex } from 'knex';

export interface TotpRow {
  userId: number;
  secretEncrypted: string;
  confirmedAt: string | null;
  lastTimeStep: number | null;
}

interface Row {
  user_id: number;
  secret_encrypted: string;
  confirmed_at: string | null;
  last_time_step: number | string | null;
}

export async function findTotp(db: Knex, userId: number): Promise<TotpRow | undefined> {
  const row = (await db('staff_totp').where({ user_id: userId }).first()) as Row | undefined;
  return (
    row && {
      userId: row.user_id,
      secretEncrypted: row.secret_encrypted,
      confirmedAt: row.confirmed_at,
      lastTimeStep: row.last_time_step === null ? null : Number(row.last_time_step),
    }
  );
}

/**
 * A new secret waiting for its first code, unless the account has a secret already (two pages
 * opened at once: the first one's stays). Read the row again for the secret that counts.
 */
export async function insertPendingTotp(db: Knex, userId: number, secretEncrypted: string, at: string): Promise<void> {
  await db('staff_totp')
    .insert({ user_id: userId, secret_encrypted: secretEncrypted, created_at: at })
    .onConflict('user_id')
    .ignore();
}

/** Forgets a secret still waiting for its first code (it can no longer be read); never a confirmed one. */
export async function deletePendingTotp(db: Knex, userId: number): Promise<void> {
  await db('staff_totp').where({ user_id: userId }).whereNull('confirmed_at').delete();
}

/**
 * Accepts a code's time step once: true when `timeStep` is newer than every step accepted before,
 * and records it. The database decides, so two requests with the same code cannot both pass.
 */
export async function useTimeStep(db: Knex, userId: number, timeStep: number, confirmAt?: string): Promise<boolean> {
  const changed = await db('staff_totp')
    .where({ user_id: userId })
    .andWhere((q) => q.whereNull('last_time_step').orWhere('last_time_step', '<', timeStep))
    .update({ last_time_step: timeStep, ...(confirmAt ? { confirmed_at: confirmAt } : {}) });
  return changed === 1;
}

export async function deleteTotp(db: Knex, userId: number): Promise<void> {
  await db('staff_totp').where({ user_id: userId }).delete();
}

/** Replaces every recovery code of the account. */
export async function replaceRecoveryCodes(db: Knex, userId: number, codeHashes: string[], at: string): Promise<void> {
  await db('staff_recovery_codes').where({ user_id: userId }).delete();
  await db('staff_recovery_codes').insert(codeHashes.map((hash) => ({ user_id: userId, code_hash: hash, created_at: at })));
}

/** Uses a recovery code up; true only the first time (the database decides, not a read before). */
export async function useRecoveryCode(db: Knex, userId: number, codeHash: string, at: string): Promise<boolean> {
  const changed = await db('staff_recovery_codes')
    .where({ user_id: userId, code_hash: codeHash })
    .whereNull('used_at')
    .update({ used_at: at });
  return changed === 1;
}

export async function recoveryCodeExists(db: Knex, userId: number, codeHash: string): Promise<boolean> {
  return (await db('staff_recovery_codes').where({ user_id: userId, code_hash: codeHash }).first('id')) !== undefined;
}

export async function countUnusedRecoveryCodes(db: Knex, userId: number): Promise<number> {
  const [row] = (await db('staff_recovery_codes').where({ user_id: userId }).whereNull('used_at').count({ n: '*' })) as Array<{
    n: number | string;
  }>;
  return Number(row.n);
}

export async function deleteRecoveryCodes(db: Knex, userId: number): Promise<void> {
  await db('staff_recovery_codes').where({ user_id: userId }).delete();
}

/** A session that passed the password but not yet the second step. */
export interface PendingSession {
  userId: number;
  email: string;
  name: string;
}

export async function findPendingSession(db: Knex, idHash: string, now: string): Promise<PendingSession | undefined> {
  const row = (await db('staff_sessions as s')
    .join('staff_users as u', 'u.id', 's.user_id')
    .where('s.id_hash', idHash)
    .andWhere('s.second_step_done', false)
    .andWhere('s.expires_at', '>', now)
    .whereNull('u.disabled_at')
    .first('u.id', 'u.email', 'u.name')) as { id: number; email: string; name: string } | undefined;
  return row && { userId: row.id, email: row.email, name: row.name };
}

export async function insertSession(
  db: Knex,
  s: { idHash: string; userId: number; createdAt: string; expiresAt: string; secondStepDone: boolean; address?: string },
): Promise<void> {
  await db('staff_sessions').insert({
    id_hash: s.idHash,
    user_id: s.userId,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
    last_seen_at: s.createdAt,
    second_step_done: s.secondStepDone,
    address: s.address?.slice(0, 64) ?? null, // where the session was opened from (migration 20261203194000)
  });
}

export async function deleteSession(db: Knex, idHash: string): Promise<void> {
  await db('staff_sessions').where({ id_hash: idHash }).delete();
}

export async function deleteSessionsOf(db: Knex, userId: number): Promise<void> {
  await db('staff_sessions').where({ user_id: userId }).delete();
}

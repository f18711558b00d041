import type { Knex } from 'knex';

export type Role = 'agent' | 'admin';

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
}

const toUser = (r: UserRow): StaffUser => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

export async function insertUser(
  db: Knex,
  user: { email: string; name: string; role: Role; passwordHash: string; createdAt: string },
): Promise<number> {
  const [row] = (await db('staff_users')
    .insert({ email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash, created_at: user.createdAt })
    .returning('id')) as Array<{ id: number }>;
  return row.id;
}

export async function findUserWithHashByEmail(
  db: Knex,
  email: string,
): Promise<(StaffUser & { passwordHash: string }) | undefined> {
  const row = (await db('staff_users').where({ email }).first()) as UserRow | undefined;
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function findUser(db: Knex, id: number): Promise<StaffUser | undefined> {
  const row = (await db('staff_users').where({ id }).first()) as UserRow | undefined;
  return row && toUser(row);
}

export async function listUsers(db: Knex): Promise<StaffUser[]> {
  return ((await db('staff_users').orderBy('name')) as UserRow[]).map(toUser);
}

/** Staff who can be assigned tickets (not disabled), by name. */
export async function listActiveStaff(db: Knex): Promise<Array<{ id: number; name: string }>> {
  return db('staff_users').whereNull('disabled_at').orderBy('name').select('id', 'name');
}

export async function isActiveStaff(db: Knex, id: number): Promise<boolean> {
  return (await db('staff_users').where({ id }).whereNull('disabled_at').first('id')) !== undefined;
}

export async function setDisabled(db: Knex, id: number, disabledAt: string | null): Promise<void> {
  await db('staff_users').where({ id }).update({ disabled_at: disabledAt });
}

export async function insertSession(
  db: Knex,
  s: { idHash: string; userId: number; createdAt: string; expiresAt: string },
): Promise<void> {
  await db('staff_sessions').insert({
    id_hash: s.idHash,
    user_id: s.userId,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
    last_seen_at: s.createdAt,
  });
}

/** The signed-in user of a live session; undefined when the session is unknown, expired or the account disabled. */
export async function findSessionUser(
  db: Knex,
  idHash: string,
  now: string,
): Promise<(StaffUser & { lastSeenAt: string }) | undefined> {
  const row = (await db('staff_sessions as s')
    .join('staff_users as u', 'u.id', 's.user_id')
    .where('s.id_hash', idHash)
    .andWhere('s.expires_at', '>', now)
    .whereNull('u.disabled_at')
    .first('u.*', 's.last_seen_at')) as (UserRow & { last_seen_at: string }) | undefined;
  return row && { ...toUser(row), lastSeenAt: row.last_seen_at };
}

export async function touchSession(db: Knex, idHash: string, now: string): Promise<void> {
  await db('staff_sessions').where({ id_hash: idHash }).update({ last_seen_at: now });
}

export async function deleteSession(db: Knex, idHash: string): Promise<void> {
  await db('staff_sessions').where({ id_hash: idHash }).delete();
}

export async function deleteSessionsOf(db: Knex, userId: number): Promise<void> {
  await db('staff_sessions').where({ user_id: userId }).delete();
}

export async function recordSignInFailure(db: Knex, keys: string[], at: string): Promise<void> {
  await db('sign_in_failures').insert(keys.map((key) => ({ key, at })));
}

export async function countSignInFailures(db: Knex, key: string, since: string): Promise<number> {
  const [row] = (await db('sign_in_failures').where({ key }).andWhere('at', '>', since).count({ n: '*' })) as Array<{
    n: number | string;
  }>;
  return Number(row.n);
}

export async function clearSignInFailures(db: Knex, key: string): Promise<void> {
  await db('sign_in_failures').where({ key }).delete();
}

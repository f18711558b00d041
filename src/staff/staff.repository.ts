import type { Knex } from 'knex';
import type { Role } from './roles';

export type { Role } from './roles';

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
  /** Set by an administrator's password reset: the account must choose its own before anything else. */
  passwordTemporary: boolean;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  password_temporary: boolean | number;
}

const toUser = (r: UserRow): StaffUser => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
  passwordTemporary: Boolean(r.password_temporary),
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
    .andWhere('s.second_step_done', true) // a half-signed-in session (password only) opens no staff page
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

/** An administrator's changes to an account. */
export async function updateUser(db: Knex, id: number, changes: { email: string; name: string; role: Role }): Promise<void> {
  await db('staff_users').where({ id }).update(changes);
}

export async function findPasswordHash(db: Knex, id: number): Promise<string | undefined> {
  const row = (await db('staff_users').where({ id }).first('password_hash')) as { password_hash: string } | undefined;
  return row?.password_hash;
}

/** A new password; `temporary` when an administrator chose it, so its owner must replace it. */
export async function setPasswordHash(db: Knex, id: number, passwordHash: string, temporary: boolean): Promise<void> {
  await db('staff_users').where({ id }).update({ password_hash: passwordHash, password_temporary: temporary });
}

export interface SessionRow {
  /** SHA-256 of the cookie value: names the session without being able to open it. */
  idHash: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  address: string | null;
}

/** A staff member's live sessions, most recently used first. */
export async function listSessionsOf(db: Knex, userId: number, now: string): Promise<SessionRow[]> {
  const rows = (await db('staff_sessions')
    .where({ user_id: userId })
    .andWhere('expires_at', '>', now)
    .orderBy([
      { column: 'last_seen_at', order: 'desc' },
      { column: 'created_at', order: 'desc' },
    ])
    .select('id_hash', 'created_at', 'last_seen_at', 'expires_at', 'address')) as Array<{
    id_hash: string;
    created_at: string;
    last_seen_at: string;
    expires_at: string;
    address: string | null;
  }>;
  return rows.map((r) => ({
    idHash: r.id_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    address: r.address,
  }));
}

/** Ends one of a staff member's own sessions; how many ended (0 when it is not theirs). */
export async function deleteSessionOf(db: Knex, userId: number, idHash: string): Promise<number> {
  return db('staff_sessions').where({ user_id: userId, id_hash: idHash }).delete();
}

/** Ends every session of a staff member but `keep`; how many ended. */
export async function deleteOtherSessionsOf(db: Knex, userId: number, keep: string): Promise<number> {
  return db('staff_sessions').where({ user_id: userId }).andWhereNot({ id_hash: keep }).delete();
}

/**
 * The database refuses a change that would leave no active administrator (trigger
 * staff_users_keep_an_admin, migration 20261203194000_add_staff_account_details); true for that refusal.
 */
export function isLastAdminRefusal(error: unknown): boolean {
  return /last_active_admin/.test(String((error as { message?: unknown })?.message ?? ''));
}

/** Which emails a staff member has chosen to receive (both on until they turn them off at /staff/account). */
export interface NotificationSettings {
  /** An email when a filer replies to a ticket assigned to them. */
  filerReplies: boolean;
  /** A summary of their open and overdue tickets each working day. */
  dailySummary: boolean;
}

/** A staff member's address and notification settings; undefined for an unknown or disabled account. */
export async function notificationRecipient(
  db: Knex,
  id: number,
): Promise<({ id: number; name: string; email: string } & NotificationSettings) | undefined> {
  const row = (await db('staff_users')
    .where({ id })
    .whereNull('disabled_at')
    .first('id', 'name', 'email', 'notify_filer_replies', 'notify_daily_summary')) as
    | { id: number; name: string; email: string; notify_filer_replies: boolean | number; notify_daily_summary: boolean | number }
    | undefined;
  return (
    row && {
      id: row.id,
      name: row.name,
      email: row.email,
      filerReplies: Boolean(row.notify_filer_replies),
      dailySummary: Boolean(row.notify_daily_summary),
    }
  );
}

/** Saves a staff member's notification settings. */
export async function setNotificationSettings(db: Knex, id: number, settings: NotificationSettings): Promise<void> {
  await db('staff_users')
    .where({ id })
    .update({ notify_filer_replies: settings.filerReplies, notify_daily_summary: settings.dailySummary });
}

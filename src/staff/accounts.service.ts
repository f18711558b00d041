import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, Conflict, Invalid, NotFound } from '../errors';
import { sessionIdHash } from './open-session';
import { createSignInThrottle, SignInThrottled } from './sign-in-throttle';
import { staffActor, type AuditAction, type AuditService, type AuditValue } from '../audit/audit.service';
import type { Role } from './roles';
import * as repo from './staff.repository';

/** Who did it and from where, for the audit log: a signed-in staff member, or the command line. */
export type Actor = { id: number; name: string; address?: string } | 'cli';
type StaffActor = Exclude<Actor, 'cli'>;

const MAX_WRONG_CURRENT_PASSWORDS = 5;
// Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A temporary password: four groups of four characters (about 79 bits), easy to read out. */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 4 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

const lastAdmin = () =>
  new Conflict(
    'last_admin',
    'This is the last active administrator. Make another account an administrator first, then change this one.',
  );

/** Staff accounts after sign-in: a staff member's own password and sessions; an administrator's changes to any account. */
export function createAccountService(deps: { db: Db; now?: () => Date; audit: Pick<AuditService, 'record'> }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const throttle = createSignInThrottle(db, now);
  /** Every account change is recorded in the same transaction as the change itself. */
  const audit = (trx: Db, actor: Actor, action: AuditAction, accountId: number, details?: Record<string, AuditValue>) =>
    deps.audit.record(
      {
        actor: actor === 'cli' ? 'cli' : staffActor(actor),
        action,
        subject: { type: 'staff_user', id: accountId },
        details,
        address: actor === 'cli' ? undefined : actor.address,
      },
      trx,
    );

  async function existing(id: number): Promise<repo.StaffUser> {
    const user = await repo.findUser(db, id);
    if (!user) throw new NotFound('There is no such account.');
    return user;
  }

  /** Runs an account change in a transaction; what the database refuses (no administrator left, an email taken) becomes a Conflict. */
  async function saveAccount<T>(change: (trx: Db) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(change);
    } catch (error) {
      if (repo.isLastAdminRefusal(error)) throw lastAdmin();
      if (isUniqueViolation(error)) throw new Conflict('email_taken', 'A staff account with this email already exists.');
      throw error;
    }
  }

  return {
    /** Creates a staff account; the email must be new. */
    async createUser(actor: Actor, input: { email: string; name: string; role: Role; password: string }): Promise<number> {
      const passwordHash = await hash(input.password);
      const email = input.email.toLowerCase();
      return saveAccount(async (trx) => {
        const id = await repo.insertUser(trx, {
          email,
          name: input.name,
          role: input.role,
          passwordHash,
          createdAt: now().toISOString(),
        });
        await audit(trx, actor, 'staff.added', id, { role: input.role });
        return id;
      });
    },

    /**
     * A staff member's own new password: the current one must be right (five wrong guesses, then a
     * pause), the new one passed the password policy at the edge. Their other sessions end.
     */
    async changePassword(
      user: repo.StaffUser,
      input: { current: string; password: string; sessionToken: string; address?: string },
    ): Promise<{ endedSessions: number }> {
      // Wrong guesses are counted per account (whoever holds the session is guessing): five, then a pause.
      const rules = [{ key: `password-change:${user.id}`, max: MAX_WRONG_CURRENT_PASSWORDS }];
      try {
        await throttle.check(rules);
      } catch (error) {
        if (!(error instanceof SignInThrottled)) throw error;
        const minutes = Math.max(1, Math.ceil((error.retryAt.getTime() - now().getTime()) / 60_000));
        throw new AppError(429, 'password_throttled', `Too many wrong passwords. Please try again in ${minutes} minutes.`);
      }
      const stored = await repo.findPasswordHash(db, user.id);
      if (!stored || !(await verify(stored, input.current))) {
        await throttle.fail(rules);
        throw new Invalid([{ field: 'current', code: 'wrong_password', message: 'Your current password is not right.' }]);
      }
      await throttle.succeed(rules);
      const passwordHash = await hash(input.password);
      const actor = { id: user.id, name: user.name, address: input.address };
      const endedSessions = await db.transaction(async (trx) => {
        await repo.setPasswordHash(trx, user.id, passwordHash, false);
        const ended = await repo.deleteOtherSessionsOf(trx, user.id, sessionIdHash(input.sessionToken));
        await audit(trx, actor, 'staff.password_changed', user.id, { endedSessions: ended });
        return ended;
      });
      return { endedSessions };
    },

    /** A staff member's live sessions, the one making this request marked `current`. */
    async sessions(userId: number, sessionToken: string): Promise<Array<repo.SessionRow & { current: boolean }>> {
      const current = sessionIdHash(sessionToken);
      const rows = await repo.listSessionsOf(db, userId, now().toISOString());
      return rows.map((row) => ({ ...row, current: row.idHash === current }));
    },

    /** Ends one of the staff member's own sessions (another person's cannot be named here). */
    async endSession(actor: StaffActor, idHash: string): Promise<void> {
      await db.transaction(async (trx) => {
        if ((await repo.deleteSessionOf(trx, actor.id, idHash)) === 0) throw new NotFound('That session has already ended.');
        await audit(trx, actor, 'staff.sessions_ended', actor.id, { endedSessions: 1 });
      });
    },

    /** Ends every session of the staff member but the one making this request; how many ended. */
    async endOtherSessions(actor: StaffActor, sessionToken: string): Promise<number> {
      return db.transaction(async (trx) => {
        const ended = await repo.deleteOtherSessionsOf(trx, actor.id, sessionIdHash(sessionToken));
        await audit(trx, actor, 'staff.sessions_ended', actor.id, { endedSessions: ended, allOthers: true });
        return ended;
      });
    },

    /** An administrator changes an account's name, email or role; the last active administrator keeps that role. */
    async updateUser(actor: Actor, id: number, changes: { email: string; name: string; role: Role }): Promise<void> {
      const before = await existing(id);
      const after = { ...changes, email: changes.email.toLowerCase() };
      const changed = (['email', 'name', 'role'] as const).filter((field) => before[field] !== after[field]);
      if (changed.length === 0) return;
      await saveAccount(async (trx) => {
        await repo.updateUser(trx, id, after);
        if (changed.includes('role')) await audit(trx, actor, 'staff.role_changed', id, { from: before.role, to: after.role });
        const others = changed.filter((field) => field !== 'role');
        if (others.length > 0) await audit(trx, actor, 'staff.updated', id, { changed: others });
      });
    },

    /** Disables or enables an account; disabling ends its sessions at once, and never the last active administrator. */
    async setDisabled(actor: StaffActor, id: number, disabled: boolean): Promise<void> {
      if (id === actor.id) throw new AppError(400, 'cannot_disable_self', 'You cannot disable your own account.');
      await existing(id);
      await saveAccount(async (trx) => {
        await repo.setDisabled(trx, id, disabled ? now().toISOString() : null);
        if (disabled) await repo.deleteSessionsOf(trx, id);
        await audit(trx, actor, disabled ? 'staff.disabled' : 'staff.enabled', id);
      });
    },

    /**
     * An administrator gives an account a new temporary password, shown to them once: the account's
     * sessions end, and its owner must choose their own password when they next sign in.
     */
    async resetPassword(actor: StaffActor, id: number): Promise<{ user: repo.StaffUser; password: string }> {
      if (id === actor.id) throw new AppError(400, 'cannot_reset_self', 'Change your own password on your account page instead.');
      const user = await existing(id);
      const password = temporaryPassword();
      const passwordHash = await hash(password);
      await db.transaction(async (trx) => {
        await repo.setPasswordHash(trx, id, passwordHash, true);
        await repo.deleteSessionsOf(trx, id);
        await audit(trx, actor, 'staff.password_reset', id, { sessionsEnded: 'all' });
      });
      return { user, password };
    },

    /** Which notification emails a staff member receives (/staff/account). */
    async notificationSettings(userId: number): Promise<repo.NotificationSettings> {
      const found = await repo.notificationRecipient(db, userId);
      return { filerReplies: found?.filerReplies ?? false, dailySummary: found?.dailySummary ?? false };
    },

    /** A staff member turns their notification emails on or off; their own choice, so not audited. */
    async saveNotificationSettings(userId: number, settings: repo.NotificationSettings): Promise<void> {
      await repo.setNotificationSettings(db, userId, settings);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

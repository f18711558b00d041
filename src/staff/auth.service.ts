import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, Conflict } from '../errors';
import * as repo from './staff.repository';

const SESSION_HOURS = 12;
const FAILURE_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
// Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export class SignInRefused extends AppError {}

/** Staff accounts and sessions: argon2id passwords, sessions in the database, throttled sign-in. */
export function createAuthService(db: Db, now: () => Date = () => new Date()) {
  return {
    /** Creates a staff account; the email must be new. */
    async createUser(input: { email: string; name: string; role: repo.Role; password: string }): Promise<number> {
      const passwordHash = await hash(input.password);
      try {
        return await repo.insertUser(db, {
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash,
          createdAt: now().toISOString(),
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict('email_taken', 'A staff account with this email already exists.');
        throw error;
      }
    },

    /** Checks the password and opens a session; returns the cookie value. Throttled per account and per address. */
    async signIn(email: string, password: string, address: string): Promise<{ sessionToken: string; user: repo.StaffUser }> {
      const at = now();
      const since = new Date(at.getTime() - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
      const accountKey = `account:${email.toLowerCase()}`;
      const addressKey = `address:${address}`;
      const [accountFailures, addressFailures] = await Promise.all([
        repo.countSignInFailures(db, accountKey, since),
        repo.countSignInFailures(db, addressKey, since),
      ]);
      if (accountFailures >= MAX_FAILURES_PER_ACCOUNT || addressFailures >= MAX_FAILURES_PER_ADDRESS) {
        throw new SignInRefused(
          429,
          'sign_in_throttled',
          `Too many failed sign-ins. Please wait ${FAILURE_WINDOW_MINUTES} minutes and try again.`,
        );
      }
      const user = await repo.findUserWithHashByEmail(db, email.toLowerCase());
      dummyHash ??= hash(randomBytes(16).toString('hex'));
      const ok = user ? await verify(user.passwordHash, password) : (await verify(await dummyHash, password), false);
      if (!user || !ok || user.disabledAt) {
        await repo.recordSignInFailure(db, [accountKey, addressKey], at.toISOString());
        throw new SignInRefused(401, 'sign_in_failed', 'The email or password is not right, or the account is disabled.');
      }
      await repo.clearSignInFailures(db, accountKey);
      const sessionToken = randomBytes(32).toString('base64url');
      await repo.insertSession(db, {
        idHash: sha256(sessionToken),
        userId: user.id,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
      });
      const { passwordHash, ...publicUser } = user;
      void passwordHash; // never leaves this function
      return { sessionToken, user: publicUser };
    },

    /** The user behind a session cookie, or undefined. */
    async userForSession(sessionToken: string): Promise<repo.StaffUser | undefined> {
      const at = now().toISOString();
      const idHash = sha256(sessionToken);
      const user = await repo.findSessionUser(db, idHash, at);
      // Record activity at most once a minute, not on every request.
      if (user && Date.parse(at) - Date.parse(user.lastSeenAt) > 60_000) await repo.touchSession(db, idHash, at);
      if (!user) return undefined;
      const { lastSeenAt, ...publicUser } = user;
      void lastSeenAt;
      return publicUser;
    },

    async signOut(sessionToken: string): Promise<void> {
      await repo.deleteSession(db, sha256(sessionToken));
    },

    /** Disables (or enables) an account; disabling ends its sessions at once. */
    async setDisabled(userId: number, disabled: boolean): Promise<void> {
      await repo.setDisabled(db, userId, disabled ? now().toISOString() : null);
      if (disabled) await repo.deleteSessionsOf(db, userId);
    },

    listUsers: () => repo.listUsers(db),
    findUser: (id: number) => repo.findUser(db, id),
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/knex';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, Conflict } from '../errors';
import { openSession } from './open-session';
import { noAudit, SIGN_IN_ACTIONS, type AuditRecorder } from './sign-in-audit';
import { createSignInThrottle, passwordRules, SignInThrottled } from './sign-in-throttle';
import * as repo from './staff.repository';
import { findTotp } from './two-step.repository';

// Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

// Still read by the change-password check (accounts.service.ts); sign-in itself counts by account and
// address together (sign-in-throttle.ts).

export class SignInRefused extends AppError {}

/** What is left after the password: nothing, a code, or setting up two-step sign-in. */
export type SecondStep = 'done' | 'code' | 'enrol';

export interface SignInOptions {
  /** STAFF_MFA: `required` sends a password user without TOTP to set it up before any staff page. */
  staffMfa: 'required' | 'optional';
  /** STAFF_PASSWORD_SIGNIN: false refuses every password sign-in. */
  passwordSignIn: boolean;
  audit?: AuditRecorder;
}

/** Staff accounts and sessions: argon2id passwords, sessions in the database, throttled sign-in. */
export function createAuthService(db: Db, now: () => Date = () => new Date(), settings: Partial<SignInOptions> = {}) {
  const options: SignInOptions = { staffMfa: 'required', passwordSignIn: true, ...settings };
  const audit = options.audit ?? noAudit;
  const throttle = createSignInThrottle(db, now);
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

    /**
     * Checks the password and opens a session; returns the cookie value and the step still to come:
     * `done` (signed in), `code` (a TOTP or recovery code first) or `enrol` (set up two-step sign-in
     * first, STAFF_MFA=required). Until that step, the session opens no staff page.
     * Throttled per account and address together, and per address (see sign-in-throttle.ts).
     */
    async signIn(
      email: string,
      password: string,
      address: string,
    ): Promise<{ sessionToken: string; user: repo.StaffUser; secondStep: SecondStep }> {
      if (!options.passwordSignIn)
        throw new SignInRefused(403, 'password_sign_in_off', 'Sign-in with a password is turned off here. Use single sign-on.');
      const rules = passwordRules(email, address);
      try {
        await throttle.check(rules);
      } catch (error) {
        if (error instanceof SignInThrottled)
          await audit.record({
            actor: 'anonymous',
            action: SIGN_IN_ACTIONS.throttled,
            details: { email: email.toLowerCase() },
            address,
          });
        throw error;
      }
      const user = await repo.findUserWithHashByEmail(db, email.toLowerCase());
      dummyHash ??= hash(randomBytes(16).toString('hex'));
      const ok = user ? await verify(user.passwordHash, password) : (await verify(await dummyHash, password), false);
      if (!user || !ok || user.disabledAt) {
        await throttle.fail(rules);
        await audit.record({
          actor: user ? `staff:${user.id}` : 'anonymous',
          action: SIGN_IN_ACTIONS.passwordFailed,
          details: { email: email.toLowerCase(), reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : 'disabled' },
          address,
        });
        throw new SignInRefused(401, 'sign_in_failed', 'The email or password is not right, or the account is disabled.');
      }
      await throttle.succeed(rules);
      const totp = await findTotp(db, user.id);
      const secondStep: SecondStep = totp?.confirmedAt ? 'code' : options.staffMfa === 'required' ? 'enrol' : 'done';
      const sessionToken = await openSession(db, { userId: user.id, at: now(), complete: secondStep === 'done', address });
      await audit.record({
        actor: `staff:${user.id}`,
        action: SIGN_IN_ACTIONS.passwordSucceeded,
        details: { secondStep },
        address,
      });
      const { passwordHash, ...publicUser } = user;
      void passwordHash; // never leaves this function
      return { sessionToken, user: publicUser, secondStep };
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

    /** Ends the session; a signed-in staff member's sign-out is recorded in the audit log. */
    async signOut(sessionToken: string, address?: string): Promise<void> {
      const user = await repo.findSessionUser(db, sha256(sessionToken), now().toISOString());
      await repo.deleteSession(db, sha256(sessionToken));
      if (user) await audit.record({ actor: `staff:${user.id}`, action: SIGN_IN_ACTIONS.signedOut, address });
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

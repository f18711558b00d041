import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../db/knex';
import { AppError, Conflict } from '../errors';
import { openSession, sessionIdHash } from './open-session';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes';
import { noAudit, SIGN_IN_ACTIONS, type AuditRecorder } from './sign-in-audit';
import { createSignInThrottle, secondStepRules, SignInThrottled, type ThrottleRule } from './sign-in-throttle';
import { createSecretBox } from './totp-secret-box';
import * as repo from './two-step.repository';

/** A second step refused: the code is wrong, already used, or cannot be checked. */
export class SecondStepRefused extends AppError {}

/** What the enrolment page shows: the QR code (inline SVG, made here) and the same secret as text. */
export interface Enrolment {
  qrSvg: string;
  /** The Base32 secret in groups of four, for typing into an app by hand. */
  secretText: string;
}

type Outcome = 'ok' | 'wrong_code' | 'code_already_used' | 'recovery_code_already_used';

const MESSAGES: Record<Exclude<Outcome, 'ok'>, string> = {
  wrong_code: 'That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.',
  code_already_used: 'That code has been used already. Wait for your app to show a new code, then enter it.',
  recovery_code_already_used: 'That recovery code has been used already. Each recovery code works once.',
};

/** Two-step sign-in: TOTP (RFC 6238) enrolment and checks, recovery codes, the end of a half-signed-in session. */
export function createTwoStepService(deps: {
  db: Db;
  sessionSecret: string;
  /** The name the authenticator app shows beside the code. */
  issuer: string;
  now?: () => Date;
  audit?: AuditRecorder;
}) {
  const { db, issuer } = deps;
  const now = deps.now ?? (() => new Date());
  const audit = deps.audit ?? noAudit;
  const box = createSecretBox(deps.sessionSecret);
  const throttle = createSignInThrottle(db, now);

  const unreadable = () =>
    new AppError(
      409,
      'two_step_unreadable',
      'Your two-step sign-in cannot be checked here. Ask an administrator to reset it, then set it up again.',
    );

  /** Checks a 6-digit code against the secret; a code is accepted once (its time step is recorded). */
  async function checkTotp(q: Db, userId: number, secret: string, code: string, confirmAt?: string): Promise<Outcome> {
    const epoch = Math.floor(now().getTime() / 1000);
    // One 30-second step either side, for a phone clock a little off.
    const result = await verify({ secret, token: code, epoch, epochTolerance: 30 });
    if (!result.valid || !('timeStep' in result)) return 'wrong_code';
    return (await repo.useTimeStep(q, userId, result.timeStep, confirmAt)) ? 'ok' : 'code_already_used';
  }

  /** Throttled like the password; the check throws SignInThrottled, recorded in the audit log. */
  async function throttled(rules: ThrottleRule[], userId: number, address: string): Promise<void> {
    try {
      await throttle.check(rules);
    } catch (error) {
      if (error instanceof SignInThrottled)
        await audit.record({ actor: `staff:${userId}`, action: SIGN_IN_ACTIONS.throttled, details: { step: 'second' }, address });
      throw error;
    }
  }

  async function refuse(rules: ThrottleRule[], userId: number, address: string, reason: Exclude<Outcome, 'ok'>, during: string) {
    await throttle.fail(rules);
    await audit.record({
      actor: `staff:${userId}`,
      action: SIGN_IN_ACTIONS.secondStepFailed,
      details: { reason, during },
      address,
    });
    return new SecondStepRefused(401, reason, MESSAGES[reason]);
  }

  /** Confirms a pending enrolment with its first code; returns the ten recovery codes, shown once. */
  async function confirm(userId: number, code: string, address: string): Promise<string[]> {
    const rules = secondStepRules(userId, address);
    await throttled(rules, userId, address);
    const row = await repo.findTotp(db, userId);
    if (row?.confirmedAt) throw new Conflict('two_step_already_on', 'Two-step sign-in is already set up for this account.');
    const secret = row && box.open(row.secretEncrypted, userId);
    if (!secret)
      throw new AppError(409, 'enrolment_expired', 'Set-up has started again: scan the new QR code, then enter a code.');
    const codes = newRecoveryCodes();
    const at = now().toISOString();
    const outcome = /^\d{6}$/.test(code)
      ? await db.transaction(async (trx) => {
          const result = await checkTotp(trx, userId, secret, code, at);
          if (result === 'ok')
            await repo.replaceRecoveryCodes(
              trx,
              userId,
              codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)),
              at,
            );
          return result;
        })
      : 'wrong_code';
    if (outcome !== 'ok') throw await refuse(rules, userId, address, outcome, 'enrolment');
    await throttle.succeed(rules);
    await audit.record({ actor: `staff:${userId}`, action: SIGN_IN_ACTIONS.twoStepEnrolled, address });
    return codes;
  }

  /** Checks a TOTP code or a recovery code for a signed-up account; throws SecondStepRefused. */
  async function check(userId: number, typed: string, address: string, allowRecovery: boolean): Promise<'totp' | 'recovery'> {
    const rules = secondStepRules(userId, address);
    await throttled(rules, userId, address);
    const row = await repo.findTotp(db, userId);
    if (!row?.confirmedAt) throw new Conflict('two_step_not_set_up', 'Two-step sign-in is not set up for this account.');
    const code = typed.replace(/\s/g, '');
    let outcome: Outcome = 'wrong_code';
    let method: 'totp' | 'recovery' = 'totp';
    if (/^\d{6}$/.test(code)) {
      const secret = box.open(row.secretEncrypted, userId);
      if (!secret) throw unreadable();
      outcome = await checkTotp(db, userId, secret, code);
    } else if (allowRecovery) {
      method = 'recovery';
      const normalised = normaliseRecoveryCode(code);
      if (normalised) {
        const used = await repo.useRecoveryCode(db, userId, hashRecoveryCode(normalised), now().toISOString());
        outcome = used
          ? 'ok'
          : (await repo.recoveryCodeExists(db, userId, hashRecoveryCode(normalised)))
            ? 'recovery_code_already_used'
            : 'wrong_code';
      }
    }
    if (outcome !== 'ok') throw await refuse(rules, userId, address, outcome, 'sign_in');
    await throttle.succeed(rules);
    return method;
  }

  return {
    /** The half-signed-in session behind a cookie, and whether its account has a confirmed TOTP. */
    async pendingSession(sessionToken: string): Promise<(repo.PendingSession & { hasTotp: boolean }) | undefined> {
      const pending = await repo.findPendingSession(db, sessionIdHash(sessionToken), now().toISOString());
      if (!pending) return undefined;
      return { ...pending, hasTotp: Boolean((await repo.findTotp(db, pending.userId))?.confirmedAt) };
    },

    /** Whether two-step sign-in is on for an account, since when, and how many recovery codes are left. */
    async status(userId: number): Promise<{ on: boolean; since: string | null; recoveryCodesLeft: number }> {
      const row = await repo.findTotp(db, userId);
      return {
        on: Boolean(row?.confirmedAt),
        since: row?.confirmedAt ?? null,
        recoveryCodesLeft: row?.confirmedAt ? await repo.countUnusedRecoveryCodes(db, userId) : 0,
      };
    },

    /** A new secret waiting for its first code (or the one already waiting), as a QR code and as text. */
    async enrolment(user: { id: number; email: string }): Promise<Enrolment> {
      const row = await repo.findTotp(db, user.id);
      if (row?.confirmedAt) throw new Conflict('two_step_already_on', 'Two-step sign-in is already set up for this account.');
      let secret = row && box.open(row.secretEncrypted, user.id);
      if (!secret) {
        if (row) await repo.deletePendingTotp(db, user.id);
        await repo.insertPendingTotp(db, user.id, box.seal(generateSecret(), user.id), now().toISOString());
        const stored = await repo.findTotp(db, user.id);
        secret = stored && !stored.confirmedAt ? box.open(stored.secretEncrypted, user.id) : undefined;
        if (!secret) throw new Conflict('two_step_already_on', 'Two-step sign-in is already set up for this account.');
      }
      const uri = generateURI({ issuer, label: user.email, secret });
      const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' });
      return { qrSvg, secretText: secret.match(/.{1,4}/g)!.join(' ') };
    },

    /** Enrolment from the account page (already signed in): returns the recovery codes. */
    enrol: (userId: number, code: string, address: string) => confirm(userId, code, address),

    /**
     * The second step of a half-signed-in session: with the right code (or, when set up during this
     * sign-in, the first code) the half session ends and a full one opens under a new cookie value.
     */
    async finishSignIn(
      pendingToken: string,
      code: string,
      address: string,
    ): Promise<{ sessionToken: string; recoveryCodes?: string[]; method: 'totp' | 'recovery' | 'enrolment' }> {
      const pending = await repo.findPendingSession(db, sessionIdHash(pendingToken), now().toISOString());
      if (!pending) throw new AppError(401, 'sign_in_required', 'Your sign-in has timed out. Please sign in again.');
      const hasTotp = Boolean((await repo.findTotp(db, pending.userId))?.confirmedAt);
      const recoveryCodes = hasTotp ? undefined : await confirm(pending.userId, code.replace(/\s/g, ''), address);
      const method = hasTotp ? await check(pending.userId, code, address, true) : 'enrolment';
      // A new cookie value once fully signed in, so a value seen before the second step is worth nothing.
      await repo.deleteSession(db, sessionIdHash(pendingToken));
      const sessionToken = await openSession(db, { userId: pending.userId, at: now(), complete: true, address });
      await audit.record({
        actor: `staff:${pending.userId}`,
        action: SIGN_IN_ACTIONS.secondStepSucceeded,
        details: {
          method,
          ...(method === 'recovery' ? { recoveryCodesLeft: await repo.countUnusedRecoveryCodes(db, pending.userId) } : {}),
        },
        address,
      });
      return { sessionToken, recoveryCodes, method };
    },

    /** Ten new recovery codes in place of the old ones; a current TOTP code must be given. */
    async replaceRecoveryCodes(userId: number, code: string, address: string): Promise<string[]> {
      await check(userId, code, address, false);
      const codes = newRecoveryCodes();
      await repo.replaceRecoveryCodes(
        db,
        userId,
        codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)),
        now().toISOString(),
      );
      await audit.record({ actor: `staff:${userId}`, action: SIGN_IN_ACTIONS.recoveryCodesReplaced, address });
      return codes;
    },

    /**
     * An administrator removes a staff member's second factor (a lost phone): the TOTP secret and
     * recovery codes go and the account's sessions end; its next password sign-in sets it up again.
     */
    async reset(actor: { id: number; address?: string }, userId: number): Promise<void> {
      if (actor.id === userId)
        throw new AppError(400, 'cannot_reset_own_two_step', 'Another administrator must reset your own two-step sign-in.');
      await db.transaction(async (trx) => {
        await repo.deleteTotp(trx, userId);
        await repo.deleteRecoveryCodes(trx, userId);
        await repo.deleteSessionsOf(trx, userId);
        await audit.record(
          {
            actor: `staff:${actor.id}`,
            action: SIGN_IN_ACTIONS.twoStepReset,
            subject: `staff:${userId}`,
            address: actor.address,
          },
          trx,
        );
      });
    },
  };
}

export type TwoStepService = ReturnType<typeof createTwoStepService>;

import { formatInstant } from '../calendar/describe-hours';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import * as repo from './sign-in-throttle.repository';

const WINDOW_MINUTES = 15;

/** A counter of failures: at `max` failures within the window, the key is locked until the oldest of them ages out. */
export interface ThrottleRule {
  key: string;
  max: number;
}

/** Too many failures: says until when (the route words the time in the court's time zone). */
export class SignInThrottled extends AppError {
  constructor(readonly retryAt: Date) {
    super(429, 'sign_in_throttled', 'Too many failed sign-ins.');
  }
}

// A wrong password must not lock an account for everyone: the tight limit counts failures of one
// account from one address, and a looser one all failures from an address. Someone guessing at an
// account from elsewhere never stops its owner signing in from their own desk.
const PASSWORD_PER_ACCOUNT_AND_ADDRESS = 5;
const PER_ADDRESS = 20;
// The second step comes after the right password, so its account-wide limit may lock the account
// (whoever is guessing codes has the password): a six-digit code cannot be guessed from many addresses.
const SECOND_STEP_PER_ACCOUNT_AND_ADDRESS = 5;
const SECOND_STEP_PER_ACCOUNT = 10;

/** The counters of a password sign-in. */
export function passwordRules(email: string, address: string): ThrottleRule[] {
  return [
    { key: `password:${email.toLowerCase()}|${address}`, max: PASSWORD_PER_ACCOUNT_AND_ADDRESS },
    { key: `address:${address}`, max: PER_ADDRESS },
  ];
}

/** The counters of a second step (a TOTP or recovery code). */
export function secondStepRules(userId: number, address: string): ThrottleRule[] {
  return [
    { key: `second-step:${userId}|${address}`, max: SECOND_STEP_PER_ACCOUNT_AND_ADDRESS },
    { key: `second-step:${userId}`, max: SECOND_STEP_PER_ACCOUNT },
    { key: `address:${address}`, max: PER_ADDRESS },
  ];
}

/**
 * When a locked key opens again: with failures newest first, the key opens once the `max`-th newest
 * leaves the window. Undefined while fewer than `max` failures are in the window.
 */
export function reopensAt(failuresNewestFirst: string[], max: number, windowMinutes = WINDOW_MINUTES): Date | undefined {
  if (failuresNewestFirst.length < max) return undefined;
  return new Date(Date.parse(failuresNewestFirst[max - 1]) + windowMinutes * 60_000);
}

/** Counts failed sign-ins (in the database, so every web process shares the counts). */
export function createSignInThrottle(db: Db, now: () => Date) {
  const windowStart = () => new Date(now().getTime() - WINDOW_MINUTES * 60_000).toISOString();
  return {
    /** Throws SignInThrottled, naming the latest reopening, when any rule is at its limit. */
    async check(rules: ThrottleRule[]): Promise<void> {
      const since = windowStart();
      const times = await Promise.all(rules.map((rule) => repo.recentFailureTimes(db, rule.key, since, rule.max)));
      const reopenings = rules.flatMap((rule, i) => reopensAt(times[i], rule.max) ?? []);
      if (reopenings.length > 0) throw new SignInThrottled(new Date(Math.max(...reopenings.map((d) => d.getTime()))));
    },
    async fail(rules: ThrottleRule[]): Promise<void> {
      await repo.recordFailures(
        db,
        rules.map((rule) => rule.key),
        now().toISOString(),
        windowStart(),
      );
    },
    /** After a success: the failures of this account from this address are forgiven (the address-wide count stays). */
    async succeed(rules: ThrottleRule[]): Promise<void> {
      await repo.clearFailures(
        db,
        rules.filter((rule) => !rule.key.startsWith('address:')).map((rule) => rule.key),
      );
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

/** The locked-out message, saying when to try again in the court's time zone. */
export function throttledMessage(error: SignInThrottled, timezone: string): string {
  return `Too many failed sign-ins. For your security, sign-in is paused. You can try again after ${formatInstant(error.retryAt.toISOString(), timezone)}.`;
}

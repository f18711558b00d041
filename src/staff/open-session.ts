import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { insertSession } from './two-step.repository';

export const SESSION_HOURS = 12;
// Between the password and the second step: long enough to find a phone, short enough not to linger.
export const PENDING_SESSION_MINUTES = 15;

/** The stored form of a session cookie: only its SHA-256 is kept. */
export const sessionIdHash = (sessionToken: string) => createHash('sha256').update(sessionToken).digest('hex');

/**
 * Opens a session and returns its cookie value: complete, or half signed in (password checked, second
 * step still to come), which opens no staff page and ends after PENDING_SESSION_MINUTES.
 */
export async function openSession(
  db: Knex,
  { userId, at, complete, address }: { userId: number; at: Date; complete: boolean; address?: string },
): Promise<string> {
  const sessionToken = randomBytes(32).toString('base64url');
  const lifetimeMs = complete ? SESSION_HOURS * 3_600_000 : PENDING_SESSION_MINUTES * 60_000;
  await insertSession(db, {
    idHash: sessionIdHash(sessionToken),
    userId,
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + lifetimeMs).toISOString(),
    secondStepDone: complete,
    address,
  });
  return sessionToken;
}

import { createHash, randomBytes } from 'node:crypto';

/** A new private status token: 32 random bytes, URL-safe. Only its hash is stored. */
export function newStatusToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 is enough here: the token has 256 bits of entropy, so there is nothing to brute-force. */
export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Cheap shape check before touching the database. */
export function looksLikeStatusToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

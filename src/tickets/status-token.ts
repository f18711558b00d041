import { createHash, randomFillSync } from 'node:crypto';

const TOKEN_BYTES = 32;
// Random bytes are drawn from the system 4 KiB at a time (as Node does for randomUUID), not per
// token; each slice is handed out once.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** A new private status token: 32 random bytes, URL-safe. Only its hash is stored. */
export function newStatusToken(): string {
  if (used + TOKEN_BYTES > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString('base64url', used, used + TOKEN_BYTES);
  used += TOKEN_BYTES;
  return token;
}

/** SHA-256 is enough here: the token has 256 bits of entropy, so there is nothing to brute-force. */
export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Cheap shape check before touching the database. */
export function looksLikeStatusToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

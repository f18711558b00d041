import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// 32 letters and digits that are not mistaken for one another (no l, o, 0, 1): 5 bits each.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const LENGTH = 16; // 80 bits: too many to try even against a stolen copy of the hashes

/** Ten new recovery codes, written `abcd-efgh-jkmn-pqrs` for reading and copying. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** A code as typed (any case, spaces or dashes) in its stored form, or undefined when it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const chars = typed.toLowerCase().replace(/[\s-]/g, '');
  return chars.length === LENGTH && [...chars].every((c) => ALPHABET.includes(c)) ? chars : undefined;
}

/**
 * What is stored: SHA-256 of the normalised code. A slow hash adds nothing for 80 random bits, and a
 * fast one lets the database find the code in one indexed step.
 */
export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(normalised).digest('hex');
}

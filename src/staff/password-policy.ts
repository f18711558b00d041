import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths';

/** At least 12 characters: a passphrase of a few words beats rules about symbols (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 500;

export const COMMON_PASSWORDS_FILE = path.join(PROJECT_ROOT, 'policy', 'common-passwords.txt');

/** The passwords of a list file: one a line, lower-cased; blank lines and `#` comments skipped. */
export function parsePasswordList(text: string): Set<string> {
  const list = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const word = line.trim().toLowerCase();
    if (word && !word.startsWith('#')) list.add(word);
  }
  return list;
}

let shipped: Set<string> | undefined;

/** policy/common-passwords.txt, read once. */
export function commonPasswords(): Set<string> {
  shipped ??= parsePasswordList(readFileSync(COMMON_PASSWORDS_FILE, 'utf8'));
  return shipped;
}

/** `unit` repeated to make up the whole of `text` ("abcabcabc" → "abc"), else `text`. */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size += 1) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return text.slice(0, size);
  }
  return text;
}

/**
 * Whether a password is, or is only dressed up from, a common one: the password itself, without its
 * spaces, repeated ("qwertyqwerty"), or with digits and symbols added before or after
 * ("password2024!"). Letter case does not count. Pure: the list is passed in.
 */
export function isCommonPassword(password: string, list: ReadonlySet<string> = commonPasswords()): boolean {
  const plain = password.normalize('NFKC').toLowerCase().trim();
  const joined = plain.replace(/\s+/g, '');
  const core = joined.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const candidates = new Set([plain, joined, repeatedUnit(joined), core, repeatedUnit(core)]);
  // One character over and over ("aaaaaaaaaaaa") is never a password, listed or not.
  if (repeatedUnit(joined).length === 1) return true;
  return [...candidates].some((candidate) => candidate !== '' && list.has(candidate));
}

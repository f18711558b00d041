/**
 * Typos in the queue's search box: a word no ticket holds is matched against the words of the search
 * index (stems: "exhibit", "registr") that start alike, and the nearest are searched for too. The
 * same allowance as the FAQ search: none below four letters, one up to seven, two from eight.
 */
import lunr from 'lunr';
import { editDistanceWithin, typosAllowed } from '../faq/search-vocabulary';

const LETTERS = /^\p{L}+$/u;
// The longest ending a stem may leave off a word ("ation" of "registration", whose stem is "registr").
const SUFFIX = 5;
const STEM_SHARE = 0.6;

/** A word worth correcting: letters only (no reference, number or code), long enough for a typo to be told apart. */
export const correctable = (word: string): boolean => LETTERS.test(word) && typosAllowed(word.length) > 0;

/** The Porter stem of a lower-case word, as SQLite's index holds it (PostgreSQL's English stems are nearly the same). */
export function stemOf(word: string): string {
  return lunr.stemmer(new lunr.Token(word, {})).toString();
}

/**
 * How long an index word may be to be a correction of `word` (of its stem, which may be much
 * shorter: "registration", "registr"); for the start of a word (`prefix`), any longer word.
 */
export function candidateLengths(word: string, prefix: boolean): { min: number; max: number } {
  const allowed = typosAllowed(word.length);
  const shortest = prefix ? word.length : Math.min(word.length - SUFFIX, stemOf(word).length);
  return { min: Math.max(1, shortest - allowed), max: prefix ? 40 : word.length + allowed };
}

/**
 * How near the start of `word` comes to the stem `candidate`, when the rest of the word is short
 * enough to be an ending: the stemmer cannot strip the ending of a mistyped word ("regstraton").
 */
function stemWithin(word: string, candidate: string, allowed: number): number {
  // A stem keeps most of its word: "pay" is not the stem of a mistyped "pasword".
  if (candidate.length < 4 || candidate.length < word.length * STEM_SHARE) return Infinity;
  let best = Infinity;
  for (let length = candidate.length - allowed; length <= candidate.length + allowed; length += 1)
    if (length > 0 && length < word.length && word.length - length <= SUFFIX)
      best = Math.min(best, editDistanceWithin(word.slice(0, length), candidate, allowed));
  return best;
}

/**
 * The index words a mistyped lower-case word most likely meant: within the typos allowed for its
 * length of the word or of its stem (of the start of the index word, for the start of a word), the
 * nearest only, at most `max`, in the order given.
 */
export function nearestWords(word: string, indexWords: readonly string[], options: { prefix: boolean; max?: number }): string[] {
  const allowed = typosAllowed(word.length);
  const stem = stemOf(word);
  let best = Infinity;
  let nearest: string[] = [];
  for (const candidate of indexWords) {
    if (!LETTERS.test(candidate)) continue;
    const distance = options.prefix
      ? editDistanceWithin(word, candidate.slice(0, word.length), allowed)
      : Math.min(
          editDistanceWithin(word, candidate, allowed),
          editDistanceWithin(stem, candidate, allowed),
          stemWithin(word, candidate, allowed),
        );
    if (distance < best) {
      best = distance;
      nearest = [candidate];
    } else if (distance === best && distance !== Infinity) nearest.push(candidate);
  }
  return nearest.slice(0, options.max ?? 5);
}

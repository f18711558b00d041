/**
 * The words the FAQ answers use, as written, each with its index term: to complete a word being
 * typed ("registrat" → registration) and to correct a typo ("pasword" → password) before the query
 * reaches Lunr, which then matches the index terms exactly. Built from the answers themselves.
 */
import { LRUCache } from 'lru-cache';
import { englishWords, type WordRules } from './search-text';

/** Typos allowed in a word of this length: none below four letters, one up to seven, two from eight. */
export function typosAllowed(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/**
 * Edit distance (insertions, deletions, substitutions, and two neighbouring letters swapped, each one
 * edit) no greater than `max`, or Infinity; stops as soon as a row exceeds `max`.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return Infinity;
    before = previous;
    previous = current;
  }
  return previous[b.length] <= max ? previous[b.length] : Infinity;
}

export interface Vocabulary {
  /** How many answers hold this index term (0 when none). */
  answersWith(term: string): number;
  /** True when the answer with this id holds the term, in any field. */
  holds(id: string, term: string): boolean;
  /** How many answers hold this term in what they are about (title, keywords, what people ask). */
  summaryAnswersWith(term: string): number;
  /** True when the answer holds the term in what it is about (title, keywords, what people ask), not only its body. */
  holdsInSummary(id: string, term: string): boolean;
  /** The number of answers. */
  size: number;
  /** Index terms of the words that start with `prefix`, those in the most answers first. */
  completions(prefix: string, max: number): string[];
  /** Index terms of the words within the typos allowed for `word`'s length, the nearest first. */
  corrections(word: string, max: number): string[];
}

/**
 * The vocabulary of these answers, each given by its id, the texts of the fields that say what it is
 * about (`fields`) and its body (`body`, optional). `otherWords`
 * (the synonyms') can be completed and corrected to as well, though no answer holds them. `rules`:
 * the language's words and terms (English unless told).
 */
export function buildVocabulary(
  answers: ReadonlyArray<{ id: string; fields: readonly string[]; body?: string }>,
  otherWords: readonly string[] = [],
  rules: WordRules = englishWords,
): Vocabulary {
  const { termOf, wordsOf } = rules;
  const termOfWord = new Map<string, string>();
  for (const word of otherWords.flatMap(wordsOf)) {
    const term = termOf(word);
    if (term !== undefined && word.length > 1) termOfWord.set(word, term);
  }
  const holders = new Map<string, Set<string>>();
  const summaryHolders = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, term: string, answer: string) => {
    let set = map.get(term);
    if (!set) map.set(term, (set = new Set()));
    set.add(answer);
  };
  for (const { id: answer, fields, body } of answers) {
    for (const [texts, summary] of [
      [fields, true],
      [body === undefined ? [] : [body], false],
    ] as const) {
      for (const word of texts.flatMap(wordsOf)) {
        const term = termOf(word);
        if (term === undefined) continue;
        termOfWord.set(word, term);
        add(holders, term, answer);
        if (summary) add(summaryHolders, term, answer);
      }
    }
  }
  const words = [...termOfWord.keys()].sort();
  const answersWith = (term: string) => holders.get(term)?.size ?? 0;
  const byReach = (a: string, b: string) => answersWith(b) - answersWith(a);
  // Typos are looked for among every word of the answers: worth keeping for the next time.
  const corrected = new LRUCache<string, string[]>({ max: 5000 });

  return {
    answersWith,
    holds: (id, term) => holders.get(term)?.has(id) ?? false,
    summaryAnswersWith: (term) => summaryHolders.get(term)?.size ?? 0,
    holdsInSummary: (id, term) => summaryHolders.get(term)?.has(id) ?? false,
    size: answers.length,
    completions(prefix, max) {
      let low = 0;
      let high = words.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (words[mid] < prefix) low = mid + 1;
        else high = mid;
      }
      const terms = new Set<string>();
      for (let i = low; i < words.length && words[i].startsWith(prefix); i += 1) terms.add(termOfWord.get(words[i]) as string);
      return [...terms].sort(byReach).slice(0, max);
    },
    corrections(word, max) {
      const key = `${max} ${word}`;
      let found = corrected.get(key);
      if (found === undefined) {
        found = nearestTerms(word, max);
        if (word.length <= 40) corrected.set(key, found);
      }
      return found;
    },
  };

  /** Index terms of the words within the typos allowed for `word`'s length, the nearest first. */
  function nearestTerms(word: string, max: number): string[] {
    const allowed = typosAllowed(word.length);
    if (allowed === 0) return [];
    const found = new Map<string, number>();
    for (const candidate of words) {
      const distance = editDistanceWithin(word, candidate, allowed);
      if (distance === Infinity) continue;
      const term = termOfWord.get(candidate) as string;
      found.set(term, Math.min(distance, found.get(term) ?? Infinity));
    }
    return [...found.entries()]
      .sort((a, b) => a[1] - b[1] || byReach(a[0], b[0]))
      .slice(0, max)
      .map(([term]) => term);
  }
}

/**
 * What a typed query asks the FAQ index for: the words that matter (the asking taken out), each as
 * the index terms that count for it — its stem, the words it starts while being typed, the words it
 * is a typo of — and the other members of any synonym group it names. Plain data: the search turns a
 * plan into one Lunr query and ranks the answers by how much of the plan each one covers.
 */
import { reduceQuestion } from './search-question';
import type { SynonymTable } from './search-synonyms';
import { englishWords, type WordRules } from './search-text';
import type { Vocabulary } from './search-vocabulary';
import { SEARCH_WEIGHTS, type SearchWeights } from './search-weights';

const MAX_COMPLETIONS = 12;
/** Completing fewer letters than this finds more noise than answers. */
const MIN_PREFIX = 3;
/** A term more than this share of the answers hold (and more than `count`) is not looked for unless typed (see `ask`). */
const COMMON = { share: 0.4, count: 10 };
const MAX_CORRECTIONS = 3;
export const MAX_WORDS = { all: 24, any: 12 };

/** One position of an option: the terms that fill it, each with its quality. */
type Slot = Map<string, number>;

/** Something the query asks for, and the ways an answer can have it. */
export interface Concept {
  /** Each way: the terms it needs (every slot filled) and how much it counts. */
  options: Array<{ quality: number; slots: Slot[] }>;
  /** How much it tells answers apart (rarer words weigh more); 0 when no answer can have it. */
  weight: number;
}

export interface QueryPlan {
  concepts: Concept[];
  /** Every term to ask Lunr for, with its boost. */
  clauses: Map<string, number>;
  /** Terms most answers have, reached through a synonym or a completion: asked for in what answers are about only. */
  summaryOnly: Set<string>;
}

export interface PlanContext {
  vocabulary: Vocabulary;
  synonyms: SynonymTable;
  /** The language's words and terms, as the index was built with (English unless told). */
  rules?: WordRules;
  /** The boosts and qualities of matched terms (search-weights.ts unless told). */
  weights?: SearchWeights;
}

/** How rare a term is among the answers: terms in every answer weigh little. */
function rarity(vocabulary: Vocabulary, term: string): number {
  const holders = vocabulary.answersWith(term);
  return holders === 0 ? 0 : Math.log(1 + vocabulary.size / holders);
}

/**
 * The plan for a query. `all` (the search box) also completes the word being typed and corrects typos;
 * `any` (a whole request) looks for the words as they are.
 */
export function planQuery(input: string, mode: 'all' | 'any', { vocabulary, synonyms, rules, weights }: PlanContext): QueryPlan {
  const { termOf, wordsOf } = rules ?? englishWords;
  const { boost, quality } = weights ?? SEARCH_WEIGHTS;
  const words = wordsOf(input);
  const isKnown = (term: string) => vocabulary.answersWith(term) > 0 || synonyms.uses(term);
  // The last word is still being typed unless something follows it ("summ" but not "summ " or "summ?").
  const typing = /[\p{L}\p{N}]$/u.test(input) ? words.length - 1 : -1;
  /** The words a typed word may be the start of: the word being typed, or one no answer knows whole. */
  const completionsOf = (i: number, known: boolean, max: number) =>
    mode === 'all' && words[i].length >= MIN_PREFIX && (!known || i === typing) ? vocabulary.completions(words[i], max) : [];
  // A word that is neither known nor the start of a known word is probably a typo: read as the word
  // it is nearest to, so that "leagal advise" is the phrase "legal advice" too.
  const corrected = new Map<number, string>();
  if (mode === 'all') {
    words.forEach((word, i) => {
      const term = termOf(word);
      if (term === undefined || isKnown(term) || completionsOf(i, false, 1).length > 0) return;
      const [nearest] = vocabulary.corrections(word, 1);
      if (nearest) corrected.set(i, nearest);
    });
  }
  const matches = synonyms.find(words, corrected);
  const matchOf = new Map<number, number>();
  matches.forEach((match, m) => {
    for (const i of match.words) matchOf.set(i, m);
  });
  // A typed question is reduced to what it asks; a whole request is read for its rarest words instead
  // (below), which leaves out the asking as well.
  const asked =
    mode === 'all'
      ? reduceQuestion(
          words,
          words.map((_, i) => matchOf.has(i)),
        )
      : words.map((_, i) => i);
  const wanted = asked.filter((i) => matchOf.has(i) || (words[i].length > 1 && termOf(words[i]) !== undefined));
  const kept = mode === 'all' ? wanted.slice(0, MAX_WORDS.all) : rarestWords(wanted);

  /**
   * A whole request (`any`) is read for the words that tell answers apart: each clause costs Lunr a
   * walk over its answers, and a long email's greetings, signature and everyday words only add cost.
   * The rarest words in the index are kept (words in a synonym phrase always), in their order.
   */
  function rarestWords(indexes: number[]): number[] {
    if (indexes.length <= MAX_WORDS.any) return indexes;
    const rank = (i: number) => (matchOf.has(i) ? Infinity : rarity(vocabulary, termOf(words[i]) ?? ''));
    const chosen = new Set([...indexes].sort((a, b) => rank(b) - rank(a)).slice(0, MAX_WORDS.any));
    return indexes.filter((i) => chosen.has(i));
  }

  const clauses = new Map<string, number>();
  const summaryOnly = new Set<string>();
  // Lunr is asked only for terms some answer has (the others cannot match). A term most answers have,
  // reached through a synonym or a completion, costs Lunr a walk over nearly every answer's body for
  // little change in the order: the search box asks for it in titles, keywords and what people ask
  // only (where it still tells "What is CM/ECF?" from the rest), a whole request not at all.
  const ask = (term: string, boost: number, typed = false) => {
    const holders = vocabulary.answersWith(term);
    // A whole request is matched in titles, keywords and what people ask only: a term no answer has
    // there cannot match, and asking for it would only cost Lunr a walk (and scale every score alike).
    if (holders === 0 || (mode === 'any' && vocabulary.summaryAnswersWith(term) === 0)) return;
    const common = !typed && holders > COMMON.count && holders > COMMON.share * vocabulary.size;
    if (common && mode === 'any') return;
    if (common && !clauses.has(term)) summaryOnly.add(term);
    if (!common) summaryOnly.delete(term);
    clauses.set(term, Math.max(boost, clauses.get(term) ?? 0));
  };

  /** The slot of one typed word, its clauses asked for. */
  function slotOf(i: number): Slot | undefined {
    const word = words[i];
    const term = termOf(word);
    if (term === undefined || word.length < 2) return undefined;
    const slot: Slot = new Map([[term, 1]]);
    ask(term, boost.word, true);
    if (mode === 'any') return slot;
    const known = isKnown(term);
    const completions = completionsOf(i, known, MAX_COMPLETIONS);
    for (const completion of completions) {
      if (!slot.has(completion)) slot.set(completion, 1);
      ask(completion, boost.prefix);
    }
    if (!known && completions.length === 0) {
      for (const correction of vocabulary.corrections(word, MAX_CORRECTIONS)) {
        if (!slot.has(correction)) slot.set(correction, quality.typo);
        ask(correction, boost.typo);
      }
    }
    return slot;
  }

  const weightOf = (slots: Slot[]) =>
    slots.length === 0
      ? 0
      : slots.reduce((sum, slot) => sum + Math.max(0, ...[...slot.keys()].map((t) => rarity(vocabulary, t))), 0) / slots.length;

  const concepts: Concept[] = [];
  const done = new Set<number>();
  for (const i of kept) {
    const m = matchOf.get(i);
    if (m === undefined) {
      const slot = slotOf(i);
      if (slot) concepts.push({ options: [{ quality: 1, slots: [slot] }], weight: weightOf([slot]) });
      continue;
    }
    if (done.has(m)) continue;
    done.add(m);
    const own = matches[m].words.map(slotOf).filter((slot): slot is Slot => slot !== undefined);
    const options: Concept['options'] = own.length > 0 ? [{ quality: 1, slots: own }] : [];
    for (const alternative of matches[m].alternatives) {
      // A phrase as a whole counts as one synonym: its words share the boost.
      for (const term of alternative) ask(term, boost.synonym / alternative.length);
      options.push({ quality: quality.synonym, slots: alternative.map((term) => new Map([[term, 1]])) });
    }
    const weight = Math.max(0, ...options.map((option) => weightOf(option.slots)));
    concepts.push({ options, weight });
  }
  return { concepts, clauses, summaryOnly };
}

/** How much of a concept an answer has, 0 to 1, from how strongly (0 to 1) it holds each term. */
export function conceptValue(concept: Concept, holds: (term: string) => number): number {
  let best = 0;
  for (const option of concept.options) {
    let sum = 0;
    for (const slot of option.slots) {
      let value = 0;
      for (const [term, quality] of slot) if (quality > value) value = Math.max(value, quality * holds(term));
      sum += value;
    }
    best = Math.max(best, (option.quality * sum) / option.slots.length);
  }
  return best;
}

/**
 * Words as the FAQ index and its queries see them: the same splitting, stop words and stems on both
 * sides, so that a typed word meets the indexed one.
 */
import lunr from 'lunr';
import { LRUCache } from 'lru-cache';

// "Don't", "can't", "didnt": a helping verb (a stop word) and a negation, which counts.
const NEGATED_VERB = /\b(?:do|does|did|is|are|was|were|have|has|had|ca|can|could|would|should|wo|must|need)n['’]?t\b/gi;

/**
 * Text with every character that is not a letter or digit turned into a space, and a negated helping
 * verb into "not", so "CM/ECF" is two words and "can't" is "not". The length does not change, so
 * Lunr's positions still point into the original text for snippets.
 */
export function wordsOnly(text: string): string {
  return text.replace(NEGATED_VERB, (verb) => 'not'.padEnd(verb.length)).replace(/[^\p{L}\p{N}]/gu, ' ');
}

// "Not receiving notices" and "receiving notices" ask different things; Lunr's English stop words
// drop every negation, so they are kept here, all as one term.
const NEGATIONS = new Set(['no', 'not', 'never', 'cannot', 'nor', 'nunca']);

/** Lunr's English stop-word filter, but a negation is kept (as "not"). */
function stopWordsButNegations(token: lunr.Token): lunr.Token | undefined {
  if (NEGATIONS.has(token.toString())) return token.update(() => 'not');
  return lunr.stopWordFilter(token);
}
// As a pipeline step, registered as Lunr asks of every step (@types/lunr has steps return null where
// Lunr's own stop-word filter returns undefined, hence the cast).
const stopWordStep = stopWordsButNegations as unknown as lunr.PipelineFunction;
lunr.Pipeline.registerFunction(stopWordStep, 'stopWordsButNegations');

// Forms the Porter stemmer leaves apart although a filer means the same: irregular verbs ("paid",
// "sued", "forgot") and nouns it cuts differently from their verb ("notification" → notif,
// "notify" → notifi). Each is read as its plain form before stemming, on both sides. "Registered"
// stays apart from "registration": merged, the answers on registering crowd out the one on its status.
const PLAIN_FORMS: Record<string, string> = {
  ...forms('pay', 'paid', 'payment', 'payments'),
  ...forms('sue', 'sued', 'sues', 'suing'),
  ...forms('forget', 'forgot', 'forgotten'),
  ...forms('lose', 'lost'),
  ...forms('send', 'sent'),
  ...forms('leave', 'left'),
  ...forms('withdraw', 'withdrew', 'withdrawn'),
  ...forms('write', 'wrote', 'written'),
  ...forms('choose', 'chose', 'chosen'),
  ...forms('bring', 'brought'),
  ...forms('tell', 'told'),
  ...forms('find', 'found'),
  ...forms('make', 'made'),
  ...forms('give', 'gave', 'given'),
  ...forms('take', 'took', 'taken'),
  ...forms('see', 'saw', 'seen'),
  ...forms('keep', 'kept'),
  ...forms('buy', 'bought'),
  ...forms('summons', 'summonses'),
  ...forms('notify', 'notified', 'notification', 'notifications'),
  ...forms('apply', 'application', 'applications'),
  ...forms('submit', 'submission', 'submissions'),
  ...forms('deny', 'denial'),
};
function forms(plain: string, ...others: string[]): Record<string, string> {
  return Object.fromEntries(others.map((other) => [other, plain]));
}

/** A word as its plain form when the stemmer would leave it apart from it ("paid" → pay). */
function plainForm(token: lunr.Token): lunr.Token {
  const plain = PLAIN_FORMS[token.toString()];
  return plain === undefined ? token : token.update(() => plain);
}
const plainFormStep = plainForm as unknown as lunr.PipelineFunction;
lunr.Pipeline.registerFunction(plainFormStep, 'plainEnglishForms');

/** The pipeline every indexed word goes through; queries use `termOf`, which runs the same steps. */
export function indexPipeline(pipeline: lunr.Pipeline): void {
  pipeline.reset();
  pipeline.add(lunr.trimmer, stopWordStep, plainFormStep, lunr.stemmer);
}

// Stemming is the costly part of reading a request's words, and the same words come again and again.
const termCache = new LRUCache<string, string>({ max: 20_000 });
const STOP = '\u0000';

/** The index term of a lower-case word (its stem, "not" for a negation), or undefined for a stop word. */
export function termOf(word: string): string | undefined {
  let term = termCache.get(word);
  if (term === undefined) {
    const trimmed = lunr.trimmer(new lunr.Token(word, {}));
    const token = trimmed.toString() ? stopWordsButNegations(trimmed) : undefined;
    term = token ? lunr.stemmer(plainForm(token)).toString() : STOP;
    // Only words of a reasonable length are kept: mail may hold "words" of any size.
    if (word.length <= 40) termCache.set(word, term);
  }
  return term === STOP ? undefined : term;
}

/** The lower-case words of a text, in order, punctuation and "n't" handled as in the index. */
export function wordsOf(text: string): string[] {
  return wordsOnly(text.toLowerCase())
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/**
 * How one language's text becomes index terms: the same four steps on the index side and the query
 * side. The FAQ search takes one of these per language (English here, Spanish in search-text-es.ts).
 */
export interface WordRules {
  language: 'en' | 'es';
  /** The text with every character that is not part of a word turned into a space, same length. */
  wordsOnly(text: string): string;
  /** The lower-case words of a text, in order. */
  wordsOf(text: string): string[];
  /** The index term of a lower-case word, or undefined for a stop word. */
  termOf(word: string): string | undefined;
  /** Sets up the Lunr pipeline every indexed word goes through. */
  indexPipeline(pipeline: lunr.Pipeline): void;
}

/** English: Lunr's trimmer, stop words (negations kept) and Porter stemmer. */
export const englishWords: WordRules = { language: 'en', wordsOnly, wordsOf, termOf, indexPipeline };

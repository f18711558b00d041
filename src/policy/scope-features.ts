/**
 * The words a request is judged by, for the scope guard's statistical stage: stems (Lunr's English
 * stemmer, and lunr-languages' Spanish one), pairs of neighbouring stems, and the stems of the
 * sentences that ask something again, marked as asked. Stems let "appealed" and "appealing" count as
 * one word; pairs keep the order that carries meaning ("should i", "tell the judge"); the asked copy
 * lets the model tell what a filer asks ("should I appeal?") from the story around it ("the judge
 * dismissed my appeal"), which decides most requests that name legal things and are still in scope.
 * Four-letter pieces of words (`piecesOf`) are read by a regression of their own, not mixed in here:
 * mixed in, they made in-scope requests full of legal words look like refusals; read apart, they
 * catch what stems miss (misspellings, run-together words, word forms the stemmer does not join),
 * and the combiner weighs that reading beside the others.
 */
import { LRUCache } from 'lru-cache';
import lunr from 'lunr';
import type { Language } from './detect-language';

type Stemmer = (word: string) => string;

/** What a regression reads of a text: its features and how many times each occurs. */
export type FeatureReader = (text: string, language: Language) => Map<string, number>;

let stemmers: Record<Language, Stemmer> | null = null;

/**
 * A stemmer that remembers the words it has stemmed: a request's words recur (the whole request and
 * each sentence are read), and filers use a small vocabulary, so most words are stemmed once per process.
 */
function remembered(stem: Stemmer): Stemmer {
  const known = new LRUCache<string, string>({ max: 50_000 });
  return (word) => {
    let stemmed = known.get(word);
    if (stemmed === undefined) {
      stemmed = stem(word);
      known.set(word, stemmed);
    }
    return stemmed;
  };
}

/** Lunr's stemmers, loaded once: the Spanish one registers itself on the lunr module when first asked. */
function stemmerFor(language: Language): Stemmer {
  if (!stemmers) {
    // Loaded once per process (the FAQ's Spanish search may have loaded it already; a second load warns).
    if (!(lunr as unknown as { es?: unknown }).es) {
      /* eslint-disable @typescript-eslint/no-require-imports -- lunr-languages is a CommonJS plug-in that extends lunr in place */
      require('lunr-languages/lunr.stemmer.support')(lunr);
      require('lunr-languages/lunr.es')(lunr);
      /* eslint-enable @typescript-eslint/no-require-imports */
    }
    const spanish = (lunr as unknown as { es: { stemmer: (token: lunr.Token) => lunr.Token } }).es.stemmer;
    stemmers = {
      en: remembered((word) => lunr.stemmer(new lunr.Token(word, {})).toString()),
      es: remembered((word) => spanish(new lunr.Token(word, {})).toString()),
    };
  }
  return stemmers[language];
}

const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * The request's words, lower case and without accents, with numbers, case numbers and the masked
 * private numbers each reduced to one token: which number a filer typed says nothing about scope.
 */
export function wordsOf(text: string): string[] {
  // Most requests are plain ASCII: they need no accents taken off, and ASCII letters match faster than
  // Unicode ones; both ways give the same words for an ASCII text. "can't", "don’t" and "cant" are one word.
  const ascii = !NON_ASCII.test(text);
  const lower = ascii
    ? text.toLowerCase().replace(/([a-z])'([a-z])/g, '$1$2')
    : text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/(\p{L})['’](\p{L})/gu, '$1$2');
  const marked = lower.replace(/\b\d{1,2}:\d{2}-[a-z]{2}-\d{3,5}(?:-[a-z]+)*\b/g, ' casenumber ');
  return ((ascii ? marked.match(/[a-z]+|\d+/g) : marked.match(/[\p{L}]+|\d+/gu)) ?? []).map((word) =>
    /^\d/.test(word) ? 'number' : word,
  );
}

/**
 * A sentence asks something when it is a question or a request: a question mark (or Spanish's
 * opening one), or the words people use to ask for something in either language.
 */
const ASKS =
  /[?¿]|\b(?:please|can you|could you|would you|i need|i want|let me know|tell me|wondering|need to know|por favor|quiero|necesito|quisiera|me puede|me pueden|d[ií]game|d[ií]ganme)\b/i;

/** Where a text's sentences end, for finding the ones that ask (a rough cut is enough here). */
const SENTENCE_END = /(?<=[.?!])\s+|\n+/;

/** A request's features and how many times each occurs. */
export function featuresOf(text: string, language: Language): Map<string, number> {
  return readFeatures(text, language, false, new Map());
}

/**
 * What is read of one stretch of text between sentence ends, in the order its features are counted:
 * the features are made once, so a text read several ways (a request, then each of its sentences, a
 * short sentence again with the one before it) makes each sentence's strings once and looks up each
 * string's hash once.
 */
interface PartReading {
  language: Language;
  stems: string[];
  /** `w:` features, one per word. */
  words: string[];
  /** `b:` features of each word with the one before it in the part (the first is ""). */
  pairs: string[];
  /** `a:` features, one per word, when the part asks something. */
  asked: string[] | null;
  /** The words as read, for their pieces. */
  raw: string[];
  /** `p:` features: every word's pieces, in order (cut when first needed). */
  pieces: string[] | null;
}

type PartReadings = Map<string, PartReading>;

function readPart(part: string, language: Language, parts: PartReadings): PartReading {
  const known = parts.get(part);
  if (known && known.language === language) return known;
  const stem = stemmerFor(language);
  const asks = ASKS.test(part);
  const reading: PartReading = { language, stems: [], words: [], pairs: [], asked: asks ? [] : null, raw: [], pieces: null };
  for (const word of wordsOf(part)) {
    const stemmed = word.length > 2 ? stem(word) : word;
    const before = reading.stems[reading.stems.length - 1];
    reading.pairs.push(before === undefined ? '' : `b:${before} ${stemmed}`);
    reading.stems.push(stemmed);
    reading.words.push(`w:${stemmed}`);
    reading.asked?.push(`a:${stemmed}`);
    reading.raw.push(word);
  }
  parts.set(part, reading);
  return reading;
}

function piecesOfPart(reading: PartReading): string[] {
  if (!reading.pieces) {
    const pieces: string[] = [];
    for (const word of reading.raw) cutIntoPieces(word, (piece) => pieces.push(piece));
    reading.pieces = pieces;
  }
  return reading.pieces;
}

/**
 * `featuresOf`, and with `withPieces` the text's word pieces too, from the same reading of its words;
 * `parts` keeps what was read of each stretch between sentence ends for the next text that has it.
 */
function readFeatures(text: string, language: Language, withPieces: boolean, parts: PartReadings): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  // Read a sentence at a time, so a sentence that asks is read once; pairs still run across sentences.
  let previous: string | undefined;
  const read = text.split(SENTENCE_END).map((part) => readPart(part, language, parts));
  for (const { stems, words, pairs, asked } of read) {
    for (let i = 0; i < stems.length; i += 1) {
      add(words[i]);
      if (i > 0) add(pairs[i]);
      else if (previous !== undefined) add(`b:${previous} ${stems[0]}`);
      if (asked) add(asked[i]);
    }
    if (stems.length > 0) previous = stems[stems.length - 1];
  }
  // After the words, as `piecesOf` would add them: the order features are summed in stays the same.
  if (withPieces) for (const part of read) for (const piece of piecesOfPart(part)) add(piece);
  return counts;
}

/** Every word piece of a text, in order, as `readFeatures` makes them. */
function readPieces(text: string, language: Language, parts: PartReadings): Map<string, number> {
  const counts = new Map<string, number>();
  for (const part of text.split(SENTENCE_END))
    for (const piece of piecesOfPart(readPart(part, language, parts))) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  return counts;
}

/** The ways one request is read, sharing what is read of each of its sentences (see `PartReading`). */
export interface RequestReaders {
  features: FeatureReader;
  sentenceFeatures: FeatureReader;
  pieces: FeatureReader;
}

/** Readers for one request: its whole text and its sentences overlap, so each sentence's words are read once. */
export function requestReaders(): RequestReaders {
  const parts: PartReadings = new Map();
  return {
    features: (text, language) => readFeatures(text, language, false, parts),
    sentenceFeatures: (text, language) => readFeatures(text, language, true, parts),
    pieces: (text, language) => readPieces(text, language, parts),
  };
}

/** The length of a word piece: long enough to carry meaning, short enough to survive a typo. */
const PIECE = 4;

/**
 * A text's four-letter word pieces and how many times each occurs: each word is padded with a space
 * at either end, so a piece can mark where a word starts or ends (" app", "eal "); a word of fewer than
 * three letters is one piece. Pieces ignore the language: misspellings and word forms in English and
 * Spanish are caught the same way.
 */
export function piecesOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (piece: string) => counts.set(piece, (counts.get(piece) ?? 0) + 1);
  for (const word of wordsOf(text)) cutIntoPieces(word, add);
  return counts;
}

function cutIntoPieces(word: string, add: (piece: string) => void): void {
  const padded = ` ${word} `;
  if (padded.length <= PIECE) add(`p:${padded}`);
  else for (let i = 0; i + PIECE <= padded.length; i += 1) add(`p:${padded.slice(i, i + PIECE)}`);
}

/**
 * What the sentence regression reads: a sentence's words (`featuresOf`) and its word pieces together.
 * A sentence has few words, so a misspelt or unusual form of the one that carries the ask ("apelar",
 * "apelación", "dismised") leaves stems nothing to go on; its pieces still match. Unlike the whole
 * request, where mixing them in made legal words weigh too much, a sentence read this way caught more
 * refusals on cross-validation (most in Spanish) at the same in-scope limits.
 */
export function sentenceFeaturesOf(text: string, language: Language): Map<string, number> {
  return readFeatures(text, language, true, new Map());
}

/**
 * Spanish words as the Spanish FAQ index and its queries see them: lunr-languages' Spanish trimmer,
 * stop words and Snowball stemmer, with what filers actually type in mind. Many leave out accents
 * ("contrasena", "presentacion", "esta"): stop words are compared without accents, a word ending in
 * "-cion"/"-sion" is stemmed as if written "-ción"/"-sión", and accents are dropped from the stem, so
 * that "presentacion" meets "presentación" and "presentar". A negation is kept, as "not", as in English.
 */
import lunr from 'lunr';
import { LRUCache } from 'lru-cache';
import type { WordRules } from './search-text';

type TokenStep = (token: lunr.Token) => lunr.Token | undefined;
interface SpanishLunr {
  es: { trimmer: TokenStep; stemmer: TokenStep; stopWordFilter: TokenStep };
}

/** Lunr's Spanish steps; the plug-in extends the lunr module in place, once (it warns when loaded twice). */
function spanishLunr(): SpanishLunr['es'] {
  const host = lunr as unknown as Partial<SpanishLunr>;
  if (!host.es) {
    /* eslint-disable @typescript-eslint/no-require-imports -- lunr-languages is a CommonJS plug-in that extends lunr in place */
    require('lunr-languages/lunr.stemmer.support')(lunr);
    require('lunr-languages/lunr.es')(lunr);
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return (lunr as unknown as SpanishLunr).es;
}

const es = spanishLunr();

/** Accents off, but ñ kept ("año" is not "ano"): the tilde on an n is the one mark not dropped. */
function foldAccents(word: string): string {
  return word
    .normalize('NFD')
    .replace(/n\u0303/g, 'ñ')
    .replace(/\p{M}/gu, '');
}

const NEGATIONS = new Set(['no', 'nunca', 'jamas', 'tampoco', 'ni', 'not']);

// Lunr's Spanish stop words, compared without accents: "esta" typed for "está" is still a stop word.
const STOP_WORDS = new Set(
  'a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre era eran eras es esa esas ese eso esos esta estaba estaban estado estamos estar estas este esto estos estoy estuve fue fueron fui ha han has hasta hay haya he hemos la las le les lo los me mi mis mucho muchos muy mas mia mio nada nos nosotros nuestra nuestro nuestros o os otra otras otro otros para pero poco por porque que quien quienes se sea sean ser sera seria sido sin sobre somos son soy su sus si tambien tanto te ti tiene tienen tienes tengo todo todos tu tus un una uno unos y ya yo el'.split(
    ' ',
  ),
);

/** A word as the stemmer reads it best: "-cion"/"-sion" typed without the accent get it back. */
const withAccentedEnding = (word: string) => word.replace(/([cs])ion$/, '$1ión');

const termCache = new LRUCache<string, string>({ max: 20_000 });
const STOP = '\u0000';

/** The Spanish index term of a lower-case word, "not" for a negation, or undefined for a stop word. */
export function termOfSpanish(word: string): string | undefined {
  let term = termCache.get(word);
  if (term === undefined) {
    const trimmed = (es.trimmer(new lunr.Token(word, {})) as lunr.Token).toString();
    const folded = foldAccents(trimmed);
    if (!trimmed) term = STOP;
    else if (NEGATIONS.has(folded)) term = 'not';
    else if (STOP_WORDS.has(folded)) term = STOP;
    else term = foldAccents((es.stemmer(new lunr.Token(withAccentedEnding(trimmed), {})) as lunr.Token).toString());
    if (word.length <= 40) termCache.set(word, term);
  }
  return term === STOP ? undefined : term;
}

/** Text with every character that is not a letter or digit turned into a space (same length, for snippets). */
function wordsOnlySpanish(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, ' ');
}

function wordsOfSpanish(text: string): string[] {
  return wordsOnlySpanish(text.toLowerCase())
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/** The index side of termOfSpanish, as one Lunr pipeline step. */
function spanishTermStep(token: lunr.Token): lunr.Token | undefined {
  const term = termOfSpanish(token.toString());
  return term === undefined ? undefined : token.update(() => term);
}
const spanishStep = spanishTermStep as unknown as lunr.PipelineFunction;
lunr.Pipeline.registerFunction(spanishStep, 'faqSpanishTerm');

/** Spanish: the rules the Spanish FAQ index and its queries share. */
export const spanishWords: WordRules = {
  language: 'es',
  wordsOnly: wordsOnlySpanish,
  wordsOf: wordsOfSpanish,
  termOf: termOfSpanish,
  indexPipeline(pipeline) {
    pipeline.reset();
    pipeline.add(spanishStep);
  },
};

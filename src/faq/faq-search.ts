import lunr from 'lunr';
import { LRUCache } from 'lru-cache';
import type { FaqAnswer } from './faq-content';

export interface FaqSearchResult {
  id: string;
  title: string;
  category: string;
  url: string;
  score: number;
  /** A piece of the answer, HTML-escaped, with the matched words inside <mark>. */
  snippet: string;
}

export interface SearchOptions {
  limit?: number;
  /**
   * `all` (the search box, "Match word(s)"): every word typed must match, exactly, by stem, as the
   * start of a word, or with one typo. `any` (suggestions from a whole request): ranked by the words
   * that match, fewer variants, no prefixes.
   */
  mode?: 'all' | 'any';
}

const MAX_WORDS = { all: 12, any: 60 };

function isStopWord(word: string): boolean {
  return lunr.stopWordFilter(new lunr.Token(word, {})) === undefined;
}

// Stemming is the costly part of reading a request's words, and the same words come again and again.
const stemCache = new LRUCache<string, string>({ max: 20_000 });

function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed !== undefined) return stemmed;
  stemmed = lunr.stemmer(new lunr.Token(word, {})).toString();
  // Only words of a reasonable length are kept: mail may hold "words" of any size.
  if (word.length <= 40) stemCache.set(word, stemmed);
  return stemmed;
}

/**
 * Text as the index sees it: every character that is not a letter or digit becomes a space, so
 * "CM/ECF" is two words and "can't" is "can t", in documents and queries alike. The length does not
 * change, so Lunr's positions still point into the original text for snippets.
 */
function wordsOnly(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, ' ');
}

/** The words of a query, lower-cased, without punctuation: Lunr's query syntax in user input is plain text. */
export function queryWords(input: string, max: number): string[] {
  const words = wordsOnly(input.toLowerCase())
    .split(/\s+/)
    .filter((w) => w.length > 1 && !isStopWord(w));
  return [...new Set(words)].slice(0, max);
}

/** Edit distance no greater than `max` (a typo or two), without computing the whole matrix when it is larger. */
function withinEditDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return false;
    previous = current;
  }
  return previous[b.length] <= max;
}

// One typo in a word of four letters or more ("pasword"); more would match unrelated words.
const fuzziness = (word: string) => (word.length >= 4 ? 1 : 0);

/**
 * How well an index term matches a typed word: 1 for the word itself, its stem or a word it starts
 * ("summ" → "summons"), ½ for a typo ("pasword"), 0 for no match. A typo counts for less so that an
 * answer with the exact words ranks above one that only looks alike.
 */
function matchQuality(term: string, word: string, stemmed: string): number {
  if (term === stemmed || term.startsWith(word)) return 1;
  const typos = fuzziness(word);
  return withinEditDistance(term, word, typos) || withinEditDistance(term, stemmed, typos) ? 0.5 : 0;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function snippetOf(text: string, positions: Array<[number, number]>, width = 180): string {
  const sorted = [...positions].sort((a, b) => a[0] - b[0]);
  const first = sorted[0]?.[0] ?? 0;
  let start = Math.max(0, first - 50);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + width);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  let html = start > 0 ? '… ' : '';
  let cursor = start;
  for (const [at, tokenLength] of sorted) {
    // Lunr's positions cover the whole token, punctuation included ("judge,"): mark only the word.
    let length = tokenLength;
    while (length > 1 && !/[\p{L}\p{N}]/u.test(text[at + length - 1])) length -= 1;
    if (at < cursor || at + length > end) continue;
    html += `${escapeHtml(text.slice(cursor, at))}<mark>${escapeHtml(text.slice(at, at + length))}</mark>`;
    cursor = at + length;
  }
  html += escapeHtml(text.slice(cursor, end)) + (end < text.length ? ' …' : '');
  return html;
}

type MatchMetadata = Record<string, Record<string, { position?: Array<[number, number]> }>>;

/** The parts of a built Lunr index that hold its terms and their weights (see exactRanker). */
interface LunrInternals {
  fields: string[];
  invertedIndex: Record<string, { _index: number } & Record<string, Record<string, { position?: Array<[number, number]> }>>>;
  fieldVectors: Record<string, { elements: number[] }>;
}

/** One answer found by exact words: its ref, Lunr's score, and where the words are in its text. */
interface Ranked {
  ref: string;
  score: number;
  positions: Array<[number, number]>;
}

/**
 * Lunr's ranking for a query of exact, known terms (the `any` mode), read straight off the built
 * index. Lunr scores an answer by the dot product of the query's vector with each field's vector of
 * term weights; its query() finds those by walking a token automaton per word, recording every
 * match's metadata and multiplying whole field vectors, which for a request of thirty words was a
 * third of a millisecond. Here each term's weights are gathered once, when the index is built, so a
 * query only adds up the weights of its own terms: the same scores and order (a test holds the two
 * together), with none of that work.
 */
export function exactRanker(index: lunr.Index) {
  const { fields, invertedIndex, fieldVectors } = index as unknown as LunrInternals;
  // Answers by number, so that a query adds into an array.
  const refs: string[] = [];
  const numberOf = new Map<string, number>();
  // A term's weight in each field of each answer, as Lunr's field vectors hold it.
  const weightOf = new Map<string, number>();
  for (const [fieldRef, vector] of Object.entries(fieldVectors)) {
    const ref = fieldRef.slice(fieldRef.indexOf('/') + 1);
    if (!numberOf.has(ref)) numberOf.set(ref, refs.push(ref) - 1);
    for (let i = 0; i < vector.elements.length; i += 2) weightOf.set(`${vector.elements[i]}/${fieldRef}`, vector.elements[i + 1]);
  }
  // For each term: the answers it is in, field by field in Lunr's order, with its weight there.
  const postings = new Map<string, { answers: Uint32Array; weights: Float64Array }>();
  for (const [term, posting] of Object.entries(invertedIndex)) {
    const answers: number[] = [];
    const weights: number[] = [];
    for (const field of fields) {
      for (const ref of Object.keys(posting[field] ?? {})) {
        answers.push(numberOf.get(ref) as number);
        weights.push(weightOf.get(`${posting._index}/${field}/${ref}`) ?? 0);
      }
    }
    postings.set(term, { answers: Uint32Array.from(answers), weights: Float64Array.from(weights) });
  }

  /**
   * `terms`: indexed terms (stems), one per query word; a term given twice counts twice, as in Lunr.
   * The best `limit` answers, with where the terms are in each one's text.
   */
  return function rank(terms: string[], boost: number, limit = refs.length): Ranked[] {
    const boosts = new Map<string, number>();
    for (const term of terms) if (postings.has(term)) boosts.set(term, (boosts.get(term) ?? 0) + boost);
    let sumOfSquares = 0;
    for (const b of boosts.values()) sumOfSquares += b * b;
    const magnitude = Math.sqrt(sumOfSquares);
    const scores = new Float64Array(refs.length);
    // In the order Lunr first meets each answer, so that equal scores keep Lunr's order.
    const met: number[] = [];
    const seen = new Uint8Array(refs.length);
    for (const [term, b] of boosts) {
      const { answers, weights } = postings.get(term) as { answers: Uint32Array; weights: Float64Array };
      for (let i = 0; i < answers.length; i += 1) {
        const answer = answers[i];
        if (seen[answer] === 0) {
          seen[answer] = 1;
          met.push(answer);
        }
        scores[answer] += (b * weights[i]) / magnitude;
      }
    }
    return met
      .sort((a, b) => scores[b] - scores[a])
      .slice(0, limit)
      .map((answer) => {
        const ref = refs[answer];
        const positions = [...boosts.keys()].flatMap((term) => invertedIndex[term].text?.[ref]?.position ?? []);
        return { ref, score: scores[answer], positions };
      });
  };
}

/** The FAQ index: Lunr over title and keywords (boosted) and the answer text. Built in memory at start. */
export function buildFaqIndex(answers: FaqAnswer[]): lunr.Index {
  return lunr(function () {
    this.ref('id');
    this.field('title', { boost: 10 });
    this.field('keywords', { boost: 6 });
    this.field('text');
    this.metadataWhitelist = ['position'];
    for (const a of answers) {
      this.add({ id: a.id, title: wordsOnly(a.title), keywords: wordsOnly(a.keywords.join(' ')), text: wordsOnly(a.text) });
    }
  });
}

export function createFaqSearch(answers: FaqAnswer[]) {
  const byId = new Map(answers.map((a) => [a.id, a]));
  const index = buildFaqIndex(answers);

  const rankExact = exactRanker(index);

  // Every indexed term, sorted, to tell quickly whether a typed word is known as it is or as a prefix.
  const vocabulary = Object.keys((index as unknown as LunrInternals).invertedIndex).sort();
  const vocabularySet = new Set(vocabulary);
  function knows(word: string, stemmed: string): boolean {
    let low = 0;
    let high = vocabulary.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (vocabulary[mid] < word) low = mid + 1;
      else high = mid;
    }
    return vocabularySet.has(stemmed) || Boolean(vocabulary[low]?.startsWith(word));
  }

  // Filers typing in the request form send the same few queries again and again; the content only
  // changes with a restart (or a rebuild in development, which makes a new search object).
  const cache = new LRUCache<string, FaqSearchResult[]>({ max: 2000 });

  function search(input: string, options: SearchOptions = {}): FaqSearchResult[] {
    const mode = options.mode ?? 'all';
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
    const words = queryWords(input, MAX_WORDS[mode]);
    if (words.length === 0) return [];
    const key = `${mode}|${limit}|${words.join(' ')}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const found = runQuery(words, mode, limit);
    cache.set(key, found);
    return found;
  }

  function runQuery(words: string[], mode: 'all' | 'any', limit: number): FaqSearchResult[] {
    const stems = words.map(stem);
    // In `any` mode (a whole request of many filler words) every word is matched exactly, by its stem,
    // and Lunr's relevance alone ranks.
    if (mode === 'any') return rankExact(stems, 10, limit).map((r) => toResult(r.ref, r.score, r.positions));
    const results = index.query((q) => {
      words.forEach((word, i) => {
        q.term(word, { boost: 10 }); // through the pipeline: stemmed
        // Prefixes for the word being typed (the last) and for words the index does not know whole;
        // typo matching, the costly part of a query, only for words it does not know at all.
        const knownWhole = vocabularySet.has(stems[i]);
        if (!knownWhole || i === words.length - 1)
          q.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
        const distance = fuzziness(word);
        if (distance > 0 && !knows(word, stems[i])) {
          q.term(word, { usePipeline: false, editDistance: distance, boost: 1 });
          // "exibits": the stem "exibit" is one typo from the indexed "exhibit".
          if (stems[i] !== word) q.term(stems[i], { usePipeline: false, editDistance: distance, boost: 1 });
        }
      });
    });
    // How much of the typed words each answer matches. In `all` mode the answers that match the most
    // are kept: every word, when some answer has them all; a word no answer uses ("safari") narrows
    // nothing, so answers with the other words are shown.
    const coverage = results.map((r) => {
      const terms = Object.keys(r.matchData.metadata);
      return words.reduce((sum, word, i) => sum + Math.max(0, ...terms.map((term) => matchQuality(term, word, stems[i]))), 0);
    });
    const order = results.map((_, i) => i).sort((a, b) => coverage[b] - coverage[a] || results[b].score - results[a].score);
    const best = coverage[order[0]] ?? 0;
    const kept = order.filter((i) => coverage[i] >= best - 0.5).map((i) => results[i]);
    return kept.slice(0, limit).map((r) => {
      const metadata = r.matchData.metadata as MatchMetadata;
      return toResult(
        r.ref,
        r.score,
        Object.values(metadata).flatMap((fields) => fields.text?.position ?? []),
      );
    });
  }

  function toResult(ref: string, score: number, positions: Array<[number, number]>): FaqSearchResult {
    const answer = byId.get(ref) as FaqAnswer;
    let snippet: string | undefined;
    return {
      id: answer.id,
      title: answer.title,
      category: answer.category,
      url: `/faq/${answer.id}`,
      score: Math.round(score * 1000) / 1000,
      // Made when first read: suggestions in an acknowledgement show only titles.
      get snippet() {
        return (snippet ??= snippetOf(answer.text, positions));
      },
    };
  }

  /** Related answers: those the author named, else the nearest by the index. */
  function related(id: string, limit = 3): Array<{ id: string; title: string; url: string }> {
    const answer = byId.get(id);
    if (!answer) return [];
    const ids =
      answer.related.length > 0
        ? answer.related.filter((r) => byId.has(r))
        : search(`${answer.title} ${answer.keywords.join(' ')}`, { mode: 'any', limit: limit + 1 })
            .map((r) => r.id)
            .filter((r) => r !== id);
    return ids.slice(0, limit).map((r) => ({ id: r, title: (byId.get(r) as FaqAnswer).title, url: `/faq/${r}` }));
  }

  return {
    search,
    related,
    get: (id: string) => byId.get(id),
    /** Answers grouped by category, in the order categories are listed. */
    byCategory(categories: readonly string[]): Array<{ category: string; answers: FaqAnswer[] }> {
      return categories
        .map((category) => ({
          category,
          answers: answers.filter((a) => a.category === category).sort((a, b) => a.title.localeCompare(b.title)),
        }))
        .filter((group) => group.answers.length > 0);
    },
    size: answers.length,
  };
}

export type FaqSearch = ReturnType<typeof createFaqSearch>;

import lunr from 'lunr';
import { LRUCache } from 'lru-cache';
import type { FaqAnswer } from './faq-content';
import { planQuery, type PlanContext } from './search-plan';
import { rankByCoverage } from './search-rank';
import { snippetOf } from './search-snippet';
import { compileSynonyms, type SynonymGroups } from './search-synonyms';
import { englishWords, type WordRules } from './search-text';
import { buildVocabulary } from './search-vocabulary';
import { SEARCH_WEIGHTS, type SearchWeights } from './search-weights';

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
   * `all` (the search box, "Match word(s)"): the answers that have the most of what was typed — each
   * word exactly, by stem, as the start of a word, with a typo or by a synonym — first. `any`
   * (suggestions from a whole request): ranked by Lunr on the words as they are and their synonyms.
   */
  mode?: 'all' | 'any';
}

/** The fields that say what an answer is about. */
const SUMMARY_FIELDS = ['title', 'keywords', 'asks'];

/** The FAQ index: Lunr over title, keywords and "people ask" (boosted) and the answer text, in the language of `rules`. */
export function buildFaqIndex(
  answers: FaqAnswer[],
  rules: WordRules = englishWords,
  weights: SearchWeights = SEARCH_WEIGHTS,
): lunr.Index {
  const { wordsOnly } = rules;
  return lunr(function () {
    rules.indexPipeline(this.pipeline);
    this.ref('id');
    for (const [field, boost] of Object.entries(weights.fields)) this.field(field, { boost });
    this.b(weights.bm25.b);
    this.k1(weights.bm25.k1);
    this.metadataWhitelist = ['position'];
    for (const a of answers) {
      this.add({
        id: a.id,
        title: wordsOnly(a.title),
        keywords: wordsOnly(a.keywords.join(' ; ')),
        asks: wordsOnly(a.asks.join(' ; ')),
        text: wordsOnly(a.text),
      });
    }
  });
}

type MatchMetadata = Record<string, Record<string, { position?: Array<[number, number]> }>>;

/** Where the matched terms are in an answer's text, for its snippet; negations are not worth marking. */
function textPositions(metadata: MatchMetadata): Array<[number, number]> {
  return Object.entries(metadata).flatMap(([term, fields]) => (term === 'not' ? [] : (fields.text?.position ?? [])));
}

/**
 * The FAQ search over these answers, with these synonym groups (faq-content/synonyms.yaml, or as
 * staff edited them), in one language (`rules`: English unless told; Spanish answers are searched
 * with search-text-es.ts), ranked by `weights` (search-weights.ts unless the evaluation tries
 * others). Built in memory; a change of answers or synonyms makes a new one.
 */
export function createFaqSearch(
  answers: FaqAnswer[],
  synonyms: SynonymGroups = [],
  rules: WordRules = englishWords,
  weights: SearchWeights = SEARCH_WEIGHTS,
) {
  const byId = new Map(answers.map((a) => [a.id, a]));
  const index = buildFaqIndex(answers, rules, weights);
  const context: PlanContext = {
    vocabulary: buildVocabulary(
      answers.map((a) => ({ id: a.id, fields: [a.title, a.keywords.join(' '), a.asks.join(' ')], body: a.text })),
      synonyms.flat(),
      rules,
    ),
    synonyms: compileSynonyms(synonyms, rules),
    rules,
    weights,
  };

  // Filers typing in the request form send the same few queries again and again, and the answers
  // only change with a new search object. Keyed by the query as typed, case and runs of spaces aside
  // (a space at the end stays: "summ" is being typed, "summ " is not).
  const cache = new LRUCache<string, FaqSearchResult[]>({ max: 2000 });

  function search(input: string, options: SearchOptions = {}): FaqSearchResult[] {
    const mode = options.mode ?? 'all';
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
    const key = `${mode}|${limit}|${input.toLowerCase().replace(/\s+/g, ' ').trimStart()}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const found = runQuery(input, mode, limit);
    // Only queries of a reasonable length are kept: a whole request is rarely sent twice.
    if (key.length <= 300) cache.set(key, found);
    return found;
  }

  function runQuery(input: string, mode: 'all' | 'any', limit: number): FaqSearchResult[] {
    const plan = planQuery(input, mode, context);
    if (plan.clauses.size === 0) return [];
    // A whole request (`any`) is matched against what answers are about (title, keywords, what people
    // ask), not their text: every common word of a long email matches most texts, and combining those
    // matches was most of the cost of a suggestion, for little change in which answers come first.
    const results = index.query((q) => {
      for (const [term, boost] of plan.clauses) {
        const fields = mode === 'any' || plan.summaryOnly.has(term) ? { fields: SUMMARY_FIELDS } : {};
        q.term(term, { boost, usePipeline: false, ...fields });
      }
    });
    const ranked = mode === 'all' ? rankByCoverage(results, plan, context.vocabulary, weights) : results;
    return ranked.slice(0, limit).map((r) => toResult(r.ref, r.score, textPositions(r.matchData.metadata as MatchMetadata)));
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

/**
 * The numbers the FAQ search ranks by, in one place: how much each field counts, Lunr's BM25
 * parameters, how a query's words are weighed and how coverage orders the results. Checked by
 * cross-validation on the tune queries (`npm run eval:faq -- --cv`): values chosen again on four folds
 * do no better on the fifth than these. The search takes other values only when the evaluation tries them.
 */
export interface SearchWeights {
  /** Field boosts: a word in the title or in what people ask says more than one in the body. */
  fields: { title: number; keywords: number; asks: number; text: number };
  /** Lunr's BM25: `b` (how much a long field is discounted) and `k1` (how fast repeats stop counting). */
  bm25: { b: number; k1: number };
  /** Lunr boosts of a typed word's clauses: the word, a word it starts, a word it is a typo of, a synonym. */
  boost: { word: number; prefix: number; typo: number; synonym: number };
  /** How much a typo or a synonym counts toward coverage, against 1 for the word itself. */
  quality: { typo: number; synonym: number };
  /** How strongly the share of the query an answer covers weighs against Lunr's score (its power). */
  coveragePower: number;
  /**
   * How much a term found only in an answer's body counts toward coverage, against 1 in its title,
   * keywords or what people ask: a body mentions many things in passing.
   */
  bodyCoverage: number;
}

export const SEARCH_WEIGHTS: SearchWeights = {
  fields: { title: 10, keywords: 6, asks: 6, text: 1 },
  bm25: { b: 0.75, k1: 1.2 },
  boost: { word: 10, prefix: 3, typo: 5, synonym: 6 },
  quality: { typo: 0.6, synonym: 0.8 },
  coveragePower: 2,
  bodyCoverage: 0.5,
};

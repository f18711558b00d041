/**
 * The order of the search box's answers: Lunr's score (its relevance over the weighted fields),
 * scaled by how much of what was typed each answer has. A short query keeps only the answers that
 * have nearly all of it, so that an extra word narrows the results; a sentence rarely has all its
 * words in one answer, so there the share it covers weighs in rather than decides.
 */
import { conceptValue, type QueryPlan } from './search-plan';
import type { Vocabulary } from './search-vocabulary';
import { SEARCH_WEIGHTS, type SearchWeights } from './search-weights';

/** A query of at most this many concepts keeps only the answers within `slack` words of the best coverage. */
const SHORT_QUERY = { concepts: 2, slack: 0.5 };
/** A longer query drops answers with less than this share of the best coverage. */
const LONG_QUERY_MIN_SHARE = 0.3;

export interface Scored {
  ref: string;
  score: number;
}

/** The answers Lunr found, kept and ordered for the search box; `score` becomes the ranking score. */
export function rankByCoverage<R extends Scored>(
  results: readonly R[],
  plan: QueryPlan,
  vocabulary: Vocabulary,
  { coveragePower, bodyCoverage }: Pick<SearchWeights, 'coveragePower' | 'bodyCoverage'> = SEARCH_WEIGHTS,
): R[] {
  const total = plan.concepts.reduce((sum, c) => sum + c.weight, 0);
  if (total === 0) return [...results];
  const coverage = new Map<string, number>();
  for (const r of results) {
    const holds = (term: string) =>
      vocabulary.holdsInSummary(r.ref, term) ? 1 : vocabulary.holds(r.ref, term) ? bodyCoverage : 0;
    coverage.set(
      r.ref,
      plan.concepts.reduce((sum, c) => sum + c.weight * conceptValue(c, holds), 0),
    );
  }
  const best = Math.max(0, ...coverage.values());
  const least =
    plan.concepts.length <= SHORT_QUERY.concepts
      ? best - (SHORT_QUERY.slack * total) / plan.concepts.length
      : LONG_QUERY_MIN_SHARE * best;
  return results
    .filter((r) => (coverage.get(r.ref) as number) >= least)
    .map((r) => ({ ...r, score: r.score * ((coverage.get(r.ref) as number) / total) ** coveragePower }))
    .sort((a, b) => b.score - a.score);
}

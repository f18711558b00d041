/**
 * How the FAQ search is measured (`npm run eval:faq`): relevance items, their split, made once by a
 * fixed seed, into `tune` (looked at while tuning) and `holdout` (only ever scored), and the figures.
 * An item's side is a digest of the seed and its id, so adding items later never moves one already placed.
 */
import { createHash } from 'node:crypto';

export interface RelevanceItem {
  id: string;
  query: string;
  /** Any of these answers is a right answer. */
  expected: string[];
  style?: string;
}

/** The seed of the split; changing it would put tuned-on items into the holdout. */
export const FAQ_SPLIT_SEED = 'faq-search-split-2026-12-03';
const HOLDOUT_SHARE = 0.3;

/** True for the items kept back from tuning. */
export function isFaqHoldout(id: string): boolean {
  const digest = createHash('sha256').update(`${FAQ_SPLIT_SEED}:${id}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < HOLDOUT_SHARE;
}

/** The position (1-based) of the first right answer among `found`, or 0 when none is there. */
export function firstRightRank(found: readonly string[], expected: readonly string[]): number {
  const index = found.findIndex((id) => expected.includes(id));
  return index + 1;
}

export interface RelevanceFigures {
  count: number;
  top1: number;
  top3: number;
  /** Mean reciprocal rank of the first right answer (0 when it is not in the results). */
  mrr: number;
}

/** Top-1, top-3 and MRR over the ranks `firstRightRank` gave. */
export function relevanceFigures(ranks: readonly number[]): RelevanceFigures {
  const count = ranks.length;
  if (count === 0) return { count, top1: 0, top3: 0, mrr: 0 };
  const share = (keep: (rank: number) => boolean) => ranks.filter(keep).length / count;
  return {
    count,
    top1: share((rank) => rank === 1),
    top3: share((rank) => rank >= 1 && rank <= 3),
    mrr: ranks.reduce((sum, rank) => sum + (rank > 0 ? 1 / rank : 0), 0) / count,
  };
}

/** One line of figures: `name (n): top-1 91.2%  top-3 96.0%  MRR 0.934`. */
export function formatRelevance(name: string, figures: RelevanceFigures): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  return `${name} (${figures.count}): top-1 ${percent(figures.top1)}  top-3 ${percent(figures.top3)}  MRR ${figures.mrr.toFixed(3)}`;
}

const CV_SEED = 'faq-search-cv-2026-12-03';

/** The cross-validation fold (0 to `folds` − 1) of a tune item, by a digest of a fixed seed and its id. */
export function cvFold(id: string, folds: number): number {
  return createHash('sha256').update(`${CV_SEED}:${id}`).digest().readUInt32BE(0) % folds;
}

/** One number to compare settings by: top-3 and MRR, equally. */
export function relevanceScore(figures: RelevanceFigures): number {
  return (figures.top3 + figures.mrr) / 2;
}

/** A parameter the search can be tuned on: its name, the values tried, and how a setting takes one. */
export interface TunedParameter<S> {
  name: string;
  values: readonly number[];
  get(setting: S): number;
  set(setting: S, value: number): S;
}

/**
 * The setting that scores best on the items `train` keeps, by coordinate search from `start`: each
 * parameter in turn takes the value that scores best with the others held, twice over; a change must
 * beat the current setting by more than `margin`, so that a tie keeps what was there. `ranksOf` gives
 * each item's first right rank under a setting (the caller caches it).
 */
export function coordinateSearch<S>(
  start: S,
  parameters: ReadonlyArray<TunedParameter<S>>,
  ranksOf: (setting: S) => readonly number[],
  train: (index: number) => boolean,
  margin = 0.001,
): S {
  const score = (setting: S) => relevanceScore(relevanceFigures(ranksOf(setting).filter((_, i) => train(i))));
  let best = start;
  let bestScore = score(start);
  for (let pass = 0; pass < 2; pass += 1) {
    for (const parameter of parameters) {
      for (const value of parameter.values) {
        if (value === parameter.get(best)) continue;
        const candidate = parameter.set(best, value);
        const candidateScore = score(candidate);
        if (candidateScore > bestScore + margin) {
          best = candidate;
          bestScore = candidateScore;
        }
      }
    }
  }
  return best;
}

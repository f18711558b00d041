/**
 * Measures the scope guard like a classifier (SPEC §8): recall of refusals, the share of in-scope
 * requests refused and the share sent to review, by language; and chooses the thresholds that keep
 * in-scope refusals and reviews under their limits while catching the most refusals.
 */
import type { Language } from './detect-language';
import type { LabelledRequest } from './labelled-requests';
import { decide, type Evidence, type ScopeDecision } from './scope-decision';
import type { Combiner, SettingsByLanguage, Thresholds } from './scope-model';

export interface Scored {
  item: LabelledRequest;
  evidence: Evidence;
}

export interface Figures {
  /** Requests to refuse (pure or mixed) that were refused, or declined inside a mixed request. */
  recall: Rate;
  /** The same, counting a review flag as caught (staff see it first). */
  recallWithReview: Rate;
  pureLegalAdvice: Rate;
  pureJudgeContact: Rate;
  /** Mixed requests whose refused part was declined (or the whole refused). */
  mixedDeclined: Rate;
  /** Mixed requests answered with the refused part declined, not refused whole (of all mixed requests). */
  mixedAnswered: Rate;
  /**
   * Of the refusals caught, those caught in the right shape: a pure one refused, a mixed one answered
   * with its refused part declined (refusing it whole would leave its technical question unanswered).
   */
  rightShape: Rate;
  /** In-scope requests refused, or with a part declined. */
  inScopeRefused: Rate;
  /** In-scope requests sent to review. */
  inScopeReviewed: Rate;
}

export interface Rate {
  count: number;
  of: number;
}

export const share = (rate: Rate) => (rate.of === 0 ? 0 : rate.count / rate.of);
export const formatRate = (rate: Rate) => `${(share(rate) * 100).toFixed(1)}% (${rate.count}/${rate.of})`;

const refused = (decision: ScopeDecision) => decision.outcome === 'refuse' || decision.declined.length > 0;

/** The figures for scored items under the given settings (each item under its language's). */
export function figuresOf(scored: Scored[], settings: SettingsByLanguage, language?: Language): Figures {
  const figures: Figures = {
    recall: { count: 0, of: 0 },
    recallWithReview: { count: 0, of: 0 },
    pureLegalAdvice: { count: 0, of: 0 },
    pureJudgeContact: { count: 0, of: 0 },
    mixedDeclined: { count: 0, of: 0 },
    mixedAnswered: { count: 0, of: 0 },
    rightShape: { count: 0, of: 0 },
    inScopeRefused: { count: 0, of: 0 },
    inScopeReviewed: { count: 0, of: 0 },
  };
  const tally = (rate: Rate, hit: boolean) => {
    rate.of += 1;
    if (hit) rate.count += 1;
  };
  for (const { item, evidence } of scored) {
    if (language && (item.lang ?? 'en') !== language) continue;
    const decision = decide(evidence, settings[evidence.language]);
    if (item.expected === 'accept') {
      tally(figures.inScopeRefused, refused(decision));
      tally(figures.inScopeReviewed, decision.outcome === 'review');
      continue;
    }
    tally(figures.recall, refused(decision));
    tally(figures.recallWithReview, refused(decision) || decision.outcome === 'review');
    const answered = decision.outcome === 'accept' && decision.declined.length > 0;
    if (refused(decision)) tally(figures.rightShape, item.mixed ? answered : decision.outcome === 'refuse');
    if (item.mixed) {
      tally(figures.mixedDeclined, refused(decision));
      tally(figures.mixedAnswered, answered);
    } else tally(item.expected === 'legal_advice' ? figures.pureLegalAdvice : figures.pureJudgeContact, refused(decision));
  }
  return figures;
}

export interface Limits {
  /** Most in-scope requests refused (a share), with a margin below the product's limit. */
  inScopeRefused: number;
  inScopeReviewed: number;
}

/** How refusable a sentence may look and still be the technical half of a mixed request. */
const TECHNICAL_SENTENCE_GRID = [0.1, 0.2, 0.35, 0.5, 0.65];

const grid = (from: number, to: number, step: number) => {
  const values: number[] = [];
  for (let value = from; value <= to + 1e-9; value += step) values.push(Math.round(value * 1000) / 1000);
  return values;
};

/**
 * The thresholds for requests read as `language` that refuse the most refusals while in-scope
 * requests refused and reviewed stay within the limits, searched over a grid; among equals, more
 * caught by a review flag (staff see it first and decline it with one click), then more caught in the
 * right shape (a mixed request answered, its refused part declined), then fewer reviews.
 */
export function chooseThresholds(scored: Scored[], limits: Limits, combiner: Combiner, language: Language): Thresholds {
  const ofLanguage = scored.filter(({ evidence }) => evidence.language === language);
  let best: { thresholds: Thresholds; key: number[] } | null = null;
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i += 1) if (Math.abs(a[i] - b[i]) > 1e-9) return a[i] > b[i];
    return false;
  };
  for (const technicalSentence of TECHNICAL_SENTENCE_GRID) {
    for (const refuse of grid(0.3, 0.99, 0.01)) {
      for (const review of grid(0.05, refuse, 0.01)) {
        const thresholds = { refuse, review, technicalSentence };
        const settings = { combiner, thresholds };
        const figures = figuresOf(ofLanguage, { en: settings, es: settings });
        if (share(figures.inScopeRefused) > limits.inScopeRefused) continue;
        if (share(figures.inScopeReviewed) > limits.inScopeReviewed) continue;
        const key = [
          share(figures.recall),
          share(figures.recallWithReview),
          share(figures.rightShape),
          -share(figures.inScopeReviewed),
        ];
        if (!best || better(key, best.key)) best = { thresholds, key };
      }
    }
  }
  if (!best) throw new Error(`no thresholds keep in-scope ${language} requests refused and reviewed within the limits`);
  return best.thresholds;
}

/**
 * The scope guard's statistical stage, trained from the labelled requests by `npm run train:scope`
 * into policy/scope-model.json. Three logistic regressions (see scope-features.ts): one reads a whole
 * request's words, one a sentence's words and word pieces, so a refused question inside a long technical
 * email is not drowned by the rest, and one a whole request's four-letter word pieces, which forgive
 * misspellings. Each gives a probability of being in scope, of asking for legal advice and of asking to
 * contact a judge, and says which words weighed most. A small combiner for each language weighs the
 * three readings and the rules' findings into one refusal score.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';
import type { Language } from './detect-language';
import { featuresOf, wordsOf, type FeatureReader } from './scope-features';

export const MODEL_CLASSES = ['accept', 'legal_advice', 'judge_contact'] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];

const triple = z.tuple([z.number(), z.number(), z.number()]);
const weightsSchema = z.object({ bias: triple, weights: z.record(z.string(), triple) });

/** The signals the combiner weighs, in order (see scope-decision.ts `signalsOf`). */
export const SIGNALS = ['request', 'sentence', 'ruleLegalAdvice', 'ruleJudgeContact', 'ruledSentence', 'pieces'] as const;

const combinerSchema = z.object({ bias: z.number(), weights: z.array(z.number()).length(SIGNALS.length) });

const thresholdsSchema = z.object({
  /** Combined refusal scores at or above which a request is refused, or sent to review. */
  refuse: z.number(),
  review: z.number(),
  /** A sentence read as at most this likely to be refused can be the technical half of a mixed request. */
  technicalSentence: z.number(),
});

const modelSchema = z.object({
  version: z.literal(3),
  /** A digest of the training data and settings: the stale-model test compares it. */
  trainedOn: z.string(),
  classes: z.tuple([z.literal('accept'), z.literal('legal_advice'), z.literal('judge_contact')]),
  /** Reads a whole request. */
  request: weightsSchema,
  /** Reads one sentence. */
  sentence: weightsSchema,
  /** Reads a whole request by its word pieces. */
  pieces: weightsSchema,
  /** For each language: Spanish is a smaller share of the training data and has fewer rules. */
  combiner: z.object({ en: combinerSchema, es: combinerSchema }),
  thresholds: z.object({ en: thresholdsSchema, es: thresholdsSchema }),
});

export type ScopeModel = z.infer<typeof modelSchema>;
export type Weights = z.infer<typeof weightsSchema>;
export type Combiner = z.infer<typeof combinerSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
/** What the decision needs for one language: how to weigh the signals, and where to cut. */
export interface DecisionSettings {
  combiner: Combiner;
  thresholds: Thresholds;
}

export const defaultScopeModelFile = () => path.join(PROJECT_ROOT, 'policy', 'scope-model.json');

/** Reads and checks a model file written by `npm run train:scope`. */
export function loadScopeModel(file = defaultScopeModelFile()): ScopeModel {
  return modelSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A request's features as a regression reads them: log-scaled counts, scaled to unit length. */
export function vectorOf(text: string, language: Language, read: FeatureReader = featuresOf): Map<string, number> {
  const counts = read(text, language);
  let norm = 0;
  for (const [feature, count] of counts) {
    const value = Math.log1p(count);
    counts.set(feature, value);
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [feature, value] of counts) counts.set(feature, value / norm);
  return counts;
}

/** Softmax over the three classes' scores. */
export function probabilities(scores: number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((score) => Math.exp(score - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

export interface ModelReading {
  /** Probability of each class, in MODEL_CLASSES order. */
  probabilities: number[];
  /** 1 - the in-scope probability: how strongly the request looks like one to refuse. */
  refusal: number;
  /** The more likely of the two refusal classes. */
  category: Exclude<ModelClass, 'accept'>;
}

/** The settings for one language's decisions. */
export const settingsFor = (model: ScopeModel, language: Language): DecisionSettings => ({
  combiner: model.combiner[language],
  thresholds: model.thresholds[language],
});

/** The decision settings for each language. */
export type SettingsByLanguage = Record<Language, DecisionSettings>;

export const settingsOf = (model: ScopeModel): SettingsByLanguage => ({
  en: settingsFor(model, 'en'),
  es: settingsFor(model, 'es'),
});

/**
 * A regression's weights as a Map, made once per regression: a request's features are new strings,
 * and a Map finds one faster than an object with tens of thousands of keys does.
 */
const indexed = new WeakMap<Weights, Map<string, [number, number, number]>>();
function indexOf(model: Weights): Map<string, [number, number, number]> {
  let index = indexed.get(model);
  if (!index) indexed.set(model, (index = new Map(Object.entries(model.weights))));
  return index;
}

/** A text's reading by one of the model's regressions, with the features it reads (words by default). */
export function readWithModel(model: Weights, text: string, language: Language, read: FeatureReader = featuresOf): ModelReading {
  // As vectorOf, in one pass over the counts: a request is read on every intake, so no second map.
  const counts = read(text, language);
  let norm = 0;
  for (const count of counts.values()) norm += Math.log1p(count) ** 2;
  norm = Math.sqrt(norm) || 1;
  const index = indexOf(model);
  const scores = [...model.bias];
  for (const [feature, count] of counts) {
    const weight = index.get(feature);
    if (!weight) continue;
    const value = Math.log1p(count) / norm;
    for (let c = 0; c < 3; c += 1) scores[c] += weight[c] * value;
  }
  const p = probabilities(scores);
  return { probabilities: p, refusal: 1 - p[0], category: p[2] > p[1] ? 'judge_contact' : 'legal_advice' };
}

/** One of the model's regressions, how it reads a text, and how far the combiner trusts its reading. */
export interface WeighedRegression {
  weights: Weights;
  read: FeatureReader;
  trust: number;
}

/**
 * The words of a text that weighed most towards a refusal category, by every regression that reads
 * it, as the filer wrote them: each word's features are summed (its stem and the stem's asked copy,
 * or its pieces), so a reviewer sees "appeal", "should" rather than features, and a misspelt "apeal"
 * is named by the pieces it shares with "appeal".
 */
export function weightiestWords(
  regressions: WeighedRegression[],
  text: string,
  language: Language,
  category: Exclude<ModelClass, 'accept'>,
  limit = 4,
): string[] {
  const c = MODEL_CLASSES.indexOf(category);
  const byWord = new Map<string, number>();
  const words = [...new Set(wordsOf(text))].filter((word) => word.length >= 3 && word !== 'number' && word !== 'casenumber');
  for (const { weights, read, trust } of regressions) {
    const vector = vectorOf(text, language, read);
    const index = indexOf(weights);
    const pull = (feature: string) => {
      const weight = index.get(feature);
      return weight ? (weight[c] - weight[0]) * (vector.get(feature) ?? 0) : 0;
    };
    for (const word of words) {
      let sum = 0;
      // A stem's asked copy ("a:appeal") counts for the word too; pieces have none, so it adds nothing there.
      for (const feature of read(word, language).keys()) sum += pull(feature) + pull(`a:${feature.slice(2)}`);
      byWord.set(word, (byWord.get(word) ?? 0) + trust * sum);
    }
  }
  return [...byWord]
    .filter(([, weight]) => weight > 0.05)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word]) => word);
}

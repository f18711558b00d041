/**
 * The scope guard's statistical stage: a logistic regression over a request's words (see
 * scope-features.ts), trained from the labelled requests by `npm run train:scope` into
 * policy/scope-model.json. It gives each request a probability of being in scope, of asking for
 * legal advice and of asking to contact a judge, and says which words weighed most.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';
import type { Language } from './detect-language';
import { featuresOf, wordsOf } from './scope-features';

export const MODEL_CLASSES = ['accept', 'legal_advice', 'judge_contact'] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];

const thresholdsSchema = z.object({
  refuse: z.number(),
  review: z.number(),
  ruleConfirm: z.number(),
  technicalSentence: z.number(),
});

const modelSchema = z.object({
  version: z.literal(1),
  /** A digest of the training data and settings: the stale-model test compares it. */
  trainedOn: z.string(),
  classes: z.tuple([z.literal('accept'), z.literal('legal_advice'), z.literal('judge_contact')]),
  bias: z.tuple([z.number(), z.number(), z.number()]),
  weights: z.record(z.string(), z.tuple([z.number(), z.number(), z.number()])),
  /**
   * Refusal scores (1 - the in-scope probability) at or above which a request is refused or reviewed,
   * for each language: Spanish is a smaller share of the training data, so its scores run lower.
   */
  thresholds: z.object({ en: thresholdsSchema, es: thresholdsSchema }),
});

export type ScopeModel = z.infer<typeof modelSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type ThresholdsByLanguage = ScopeModel['thresholds'];

export const defaultScopeModelFile = () => path.join(PROJECT_ROOT, 'policy', 'scope-model.json');

/** Reads and checks a model file written by `npm run train:scope`. */
export function loadScopeModel(file = defaultScopeModelFile()): ScopeModel {
  return modelSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A request's features as the model reads them: log-scaled counts, scaled to unit length. */
export function vectorOf(text: string, language: Language): Map<string, number> {
  const counts = featuresOf(text, language);
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

/** The model's reading of a text. */
export function readWithModel(model: ScopeModel, text: string, language: Language): ModelReading {
  // As vectorOf, in one pass over the counts: a request is read on every intake, so no second map.
  const counts = featuresOf(text, language);
  let norm = 0;
  for (const count of counts.values()) norm += Math.log1p(count) ** 2;
  norm = Math.sqrt(norm) || 1;
  const scores = [...model.bias];
  for (const [feature, count] of counts) {
    const weight = model.weights[feature];
    if (!weight) continue;
    const value = Math.log1p(count) / norm;
    for (let c = 0; c < 3; c += 1) scores[c] += weight[c] * value;
  }
  const p = probabilities(scores);
  return { probabilities: p, refusal: 1 - p[0], category: p[2] > p[1] ? 'judge_contact' : 'legal_advice' };
}

/**
 * The words of a text that weighed most towards a refusal category, as the filer wrote them: each
 * word's stem, pair and pieces are summed, so a reviewer sees "appeal", "should" rather than features.
 */
export function weightiestWords(
  model: ScopeModel,
  text: string,
  language: Language,
  category: Exclude<ModelClass, 'accept'>,
  limit = 4,
): string[] {
  const c = MODEL_CLASSES.indexOf(category);
  const vector = vectorOf(text, language);
  const pull = (feature: string) => {
    const weight = model.weights[feature];
    return weight ? (weight[c] - weight[0]) * (vector.get(feature) ?? 0) : 0;
  };
  const byWord = new Map<string, number>();
  for (const word of new Set(wordsOf(text))) {
    if (word.length < 3 || word === 'number' || word === 'casenumber') continue;
    const single = featuresOf(word, language);
    let sum = 0;
    for (const feature of single.keys()) sum += pull(feature);
    byWord.set(word, sum);
  }
  return [...byWord]
    .filter(([, weight]) => weight > 0.05)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word]) => word);
}

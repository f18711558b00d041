/**
 * Builds the scope model from the `train` requests: 10-fold cross-validation gives every request a
 * reading by a model that never saw it, the thresholds are chosen on those readings, then the model is
 * trained on all of `train`. Used by `npm run train:scope`, `npm run eval:triage` and the test that
 * fails when the committed model is stale.
 */
import { createHash } from 'node:crypto';
import { detectLanguage } from './detect-language';
import { foldsOf, textOf, type LabelledRequest } from './labelled-requests';
import { gatherEvidence } from './scope-decision';
import { chooseThresholds, type Limits, type Scored } from './scope-evaluation';
import type { ScopeRules } from './scope-guard';
import type { ScopeModel, Thresholds, ThresholdsByLanguage } from './scope-model';
import { trainWeights, TRAINING_DEFAULTS, type TrainingExample } from './train-scope-model';

export const FOLDS = 10;
/** In-scope requests refused and reviewed: the product's limits are 1% and 8%; these keep a margin. */
export const LIMITS: Limits = { inScopeRefused: 0.008, inScopeReviewed: 0.07 };
/** A sentence the model reads as at most this likely to be refused can be the technical half of a mixed request. */
export const TECHNICAL_SENTENCE = 0.35;

const exampleOf = (item: LabelledRequest): TrainingExample => ({
  text: textOf(item),
  language: item.lang ?? detectLanguage(textOf(item)),
  label: item.expected,
});

/** A digest of everything the model is built from: a committed model with another digest is stale. */
export function trainingDigest(train: LabelledRequest[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(TRAINING_DEFAULTS));
  hash.update(JSON.stringify({ FOLDS, LIMITS, TECHNICAL_SENTENCE }));
  for (const item of train)
    hash.update(JSON.stringify([item.id, item.subject ?? '', item.body, item.expected, item.mixed, item.lang ?? '']));
  return hash.digest('hex');
}

const UNCHOSEN: Thresholds = { refuse: 1, review: 1, ruleConfirm: 1, technicalSentence: TECHNICAL_SENTENCE };
const PLACEHOLDER: ThresholdsByLanguage = { en: UNCHOSEN, es: UNCHOSEN };

function modelFrom(items: LabelledRequest[], digest: string, thresholds: ThresholdsByLanguage): ScopeModel {
  const { bias, weights } = trainWeights(items.map(exampleOf));
  return { version: 1, trainedOn: digest, classes: ['accept', 'legal_advice', 'judge_contact'], bias, weights, thresholds };
}

/** Every `train` request read by a model trained on the other nine folds. */
export function crossValidate(rules: ScopeRules, train: LabelledRequest[]): Scored[] {
  const folds = foldsOf(train, FOLDS);
  return folds.flatMap((fold, k) => {
    const rest = folds.filter((_f, j) => j !== k).flat();
    const model = modelFrom(rest, 'fold', PLACEHOLDER);
    return fold.map((item) => ({
      item,
      evidence: gatherEvidence({ ...rules, model }, { subject: item.subject, body: item.body }),
    }));
  });
}

/** The model to commit, with its thresholds chosen by cross-validation; also the out-of-fold readings. */
export function buildScopeModel(rules: ScopeRules, train: LabelledRequest[]): { model: ScopeModel; crossValidated: Scored[] } {
  const crossValidated = crossValidate(rules, train);
  const thresholds = {
    en: chooseThresholds(crossValidated, LIMITS, TECHNICAL_SENTENCE, 'en'),
    es: chooseThresholds(crossValidated, LIMITS, TECHNICAL_SENTENCE, 'es'),
  };
  return { model: modelFrom(train, trainingDigest(train), thresholds), crossValidated };
}

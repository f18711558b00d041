/**
 * Builds the scope model from the `train` requests: 10-fold cross-validation gives every request a
 * reading by regressions that never saw it; each language's combiner is fitted and its thresholds
 * chosen on those readings; then the regressions are trained on all of `train`. Used by
 * `npm run train:scope`, `npm run eval:triage` and the test that fails when the committed model is stale.
 */
import { createHash } from 'node:crypto';
import { detectLanguage, type Language } from './detect-language';
import { foldsOf, textOf, type LabelledRequest } from './labelled-requests';
import { gatherEvidence, readingsOf, signalsOf } from './scope-decision';
import { chooseThresholds, type Limits, type Scored } from './scope-evaluation';
import { readSentences, type ScopeRules } from './scope-guard';
import { piecesOf } from './scope-features';
import type { Combiner, ScopeModel, Weights } from './scope-model';
import {
  fitCombiner,
  PIECES_TRAINING,
  trainSentenceWeights,
  trainWeights,
  TRAINING_DEFAULTS,
  type SentencedExample,
  type TrainingExample,
} from './train-scope-model';

export const FOLDS = 10;
/**
 * In-scope requests refused and reviewed: the product's limits are 1% and 8%; these keep a margin.
 * Spanish is held to the same limit though its bar allows 3%: a looser cut chosen by cross-validation
 * refused twice the bar's share on the holdout (Spanish is a fifth of the data, so its readings vary more).
 */
export const LIMITS: Limits = { inScopeRefused: 0.008, inScopeReviewed: 0.07 };

const languageOf = (item: LabelledRequest): Language => item.lang ?? detectLanguage(textOf(item));

const exampleOf = (item: LabelledRequest): TrainingExample => ({
  text: textOf(item),
  language: languageOf(item),
  label: item.expected,
});

/** A labelled request cut as the sentence regression reads it, with the sentences people marked as refused. */
export function sentencedExampleOf(rules: ScopeRules, item: LabelledRequest): SentencedExample {
  const language = languageOf(item);
  const readings = readSentences(rules, { subject: item.subject, body: item.body }, language);
  const marks = new Set(item.refusedSentences ?? []);
  // A short sentence read with the one before it carries that one's ask too.
  const marked = (i: number, text: string) =>
    marks.has(readings[i].sentence) || (text !== readings[i].sentence && marks.has(readings[i - 1].sentence));
  const parts = readingsOf(readings).map(({ reading, text }, i) => ({
    text,
    technical: reading.technical,
    ruled: reading.reasons.length > 0,
    marked: marked(i, text),
  }));
  // Marks written for another cut of the request (the splitter changed) match nothing: guessed instead.
  return { sentences: parts, language, label: item.expected, marked: parts.some((part) => part.marked) };
}

/** A digest of everything the model is built from: a committed model with another digest is stale. */
export function trainingDigest(train: LabelledRequest[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ TRAINING_DEFAULTS, PIECES_TRAINING }));
  hash.update(JSON.stringify({ FOLDS, LIMITS }));
  for (const item of train)
    hash.update(
      JSON.stringify([
        item.id,
        item.subject ?? '',
        item.body,
        item.expected,
        item.mixed,
        item.lang ?? '',
        item.refusedSentences ?? [],
      ]),
    );
  return hash.digest('hex');
}

/** The model's regressions, trained on some requests. */
export type Regressions = Pick<ScopeModel, 'request' | 'sentence' | 'pieces'>;

/** The three regressions trained on some requests. */
export function trainRegressions(rules: ScopeRules, items: LabelledRequest[]): Regressions {
  const examples = items.map(exampleOf);
  const request = trainWeights(examples);
  const sentence = trainSentenceWeights(
    items.map((item) => sentencedExampleOf(rules, item)),
    request,
  );
  return { request, sentence, pieces: trainWeights(examples, PIECES_TRAINING, piecesOf) };
}

const NEUTRAL: Combiner = { bias: 0, weights: [1, 0, 0, 0, 0, 0] };
const UNCHOSEN = { refuse: 1, review: 1, technicalSentence: 0.35 };
const EMPTY: Weights = { bias: [0, 0, 0], weights: {} };

/**
 * A model that has learnt nothing and refuses nothing: what the rules are compiled with while a model
 * is trained (training reads their sentences, not the committed model, which may be stale).
 */
export function untrainedModel(): ScopeModel {
  return {
    version: 3,
    trainedOn: 'untrained',
    classes: ['accept', 'legal_advice', 'judge_contact'],
    request: EMPTY,
    sentence: EMPTY,
    pieces: EMPTY,
    combiner: { en: NEUTRAL, es: NEUTRAL },
    thresholds: { en: UNCHOSEN, es: UNCHOSEN },
  };
}

/** Every `train` request read by regressions trained on the other nine folds. */
export function crossValidate(rules: ScopeRules, train: LabelledRequest[]): Scored[] {
  const folds = foldsOf(train, FOLDS);
  return folds.flatMap((fold, k) => {
    const rest = folds.filter((_f, j) => j !== k).flat();
    // The fold's regressions, read without a combiner: it is fitted on all folds' readings afterwards.
    const model = { ...untrainedModel(), ...trainRegressions(rules, rest) };
    return fold.map((item) => ({
      item,
      evidence: gatherEvidence({ ...rules, model }, { subject: item.subject, body: item.body }),
    }));
  });
}

/** A language's combiner, fitted on cross-validated readings. */
function combinerFor(crossValidated: Scored[], language: Language): Combiner {
  return fitCombiner(
    crossValidated
      .filter(({ evidence }) => evidence.language === language)
      .map(({ item, evidence }) => ({ signals: signalsOf(evidence), refused: item.expected !== 'accept' })),
  );
}

/** The model to commit, with its combiners and thresholds chosen by cross-validation; also the out-of-fold readings. */
export function buildScopeModel(rules: ScopeRules, train: LabelledRequest[]): { model: ScopeModel; crossValidated: Scored[] } {
  const crossValidated = crossValidate(rules, train);
  const combiner = { en: combinerFor(crossValidated, 'en'), es: combinerFor(crossValidated, 'es') };
  const thresholds = {
    en: chooseThresholds(crossValidated, LIMITS, combiner.en, 'en'),
    es: chooseThresholds(crossValidated, LIMITS, combiner.es, 'es'),
  };
  const model: ScopeModel = {
    version: 3,
    trainedOn: trainingDigest(train),
    classes: ['accept', 'legal_advice', 'judge_contact'],
    ...trainRegressions(rules, train),
    combiner,
    thresholds,
  };
  return { model, crossValidated };
}

/**
 * Trains the scope guard's regressions from labelled requests: the whole-request one and the
 * one-sentence one (three classes, softmax), and each language's combiner (two classes). Plain
 * full-batch gradient descent with Adam steps and an L2 penalty: the data is small (a few thousand
 * requests), so every step sees all of it, and the same data always gives the same model, which is
 * what lets a test tell a stale committed model from a fresh one.
 */
import type { Language } from './detect-language';
import { featuresOf, sentenceFeaturesOf, type FeatureReader } from './scope-features';
import {
  MODEL_CLASSES,
  probabilities,
  readWithModel,
  vectorOf,
  type Combiner,
  type ModelClass,
  type Weights,
} from './scope-model';

export interface TrainingExample {
  text: string;
  language: Language;
  label: ModelClass;
}

export interface TrainingOptions {
  /** Full passes over the data. */
  steps: number;
  learningRate: number;
  /** L2 penalty: keeps any one word from deciding alone. */
  l2: number;
  /** A feature must occur in at least this many requests to get a weight. */
  minCount: number;
  /** Scale each feature by how unevenly it falls between refused and in-scope requests (see below). */
  scaleByClass: boolean;
}

/**
 * Stopping early is most of the regularisation: on 10-fold cross-validation, 150 passes caught more
 * refusals than 300 at the same in-scope limits, and a larger L2 penalty caught fewer.
 */
export const TRAINING_DEFAULTS: TrainingOptions = { steps: 150, learningRate: 0.05, l2: 1e-5, minCount: 2, scaleByClass: true };
/**
 * Word pieces are many and each says little: one seen in fewer than five requests is noise. Unscaled,
 * as most pieces fall on both sides and only together point one way (cross-validation agreed).
 */
export const PIECES_TRAINING: TrainingOptions = { ...TRAINING_DEFAULTS, minCount: 5, scaleByClass: false };

export type TrainedWeights = Weights;

/** Learns weights for every feature (words by default) seen in at least `minCount` requests. */
export function trainWeights(
  examples: TrainingExample[],
  options: TrainingOptions = TRAINING_DEFAULTS,
  read: FeatureReader = featuresOf,
): TrainedWeights {
  const vectors = examples.map((example) => vectorOf(example.text, example.language, read));
  const documentCount = new Map<string, number>();
  for (const vector of vectors)
    for (const feature of vector.keys()) documentCount.set(feature, (documentCount.get(feature) ?? 0) + 1);
  const vocabulary = [...documentCount].filter(([, count]) => count >= options.minCount).map(([feature]) => feature);
  vocabulary.sort();
  const index = new Map(vocabulary.map((feature, i) => [feature, i]));

  const docs = vectors.map((vector) => {
    const ids: number[] = [];
    const values: number[] = [];
    for (const [feature, value] of vector) {
      const id = index.get(feature);
      if (id !== undefined) {
        ids.push(id);
        values.push(value);
      }
    }
    return { ids, values };
  });
  const labels = examples.map((example) => MODEL_CLASSES.indexOf(example.label));
  // Each feature is scaled by how unevenly it falls between refused and in-scope requests (the log
  // of the ratio of its shares, as in Wang and Manning's NB-SVM). The L2 penalty then costs less for a
  // word that already points one way ("should", "tell the judge") than for one that appears on both
  // sides ("file", "judge"), which is what a few thousand examples cannot teach on their own.
  const scale = new Float64Array(vocabulary.length);
  const refused = new Float64Array(vocabulary.length).fill(1);
  const accepted = new Float64Array(vocabulary.length).fill(1);
  docs.forEach((doc, d) => {
    for (const id of doc.ids) (labels[d] === 0 ? accepted : refused)[id] += 1;
  });
  const refusedTotal = refused.reduce((a, b) => a + b, 0);
  const acceptedTotal = accepted.reduce((a, b) => a + b, 0);
  for (let i = 0; i < vocabulary.length; i += 1)
    scale[i] = options.scaleByClass ? Math.abs(Math.log(refused[i] / refusedTotal / (accepted[i] / acceptedTotal))) : 1;
  for (const doc of docs) for (let k = 0; k < doc.ids.length; k += 1) doc.values[k] *= scale[doc.ids[k]];

  const size = vocabulary.length * 3 + 3; // weights, then the three biases
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const biasAt = vocabulary.length * 3;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const n = docs.length;

  for (let step = 1; step <= options.steps; step += 1) {
    grad.fill(0);
    for (let d = 0; d < n; d += 1) {
      const { ids, values } = docs[d];
      const scores = [w[biasAt], w[biasAt + 1], w[biasAt + 2]];
      for (let k = 0; k < ids.length; k += 1) {
        const at = ids[k] * 3;
        for (let c = 0; c < 3; c += 1) scores[c] += w[at + c] * values[k];
      }
      const p = probabilities(scores);
      for (let c = 0; c < 3; c += 1) {
        const diff = (p[c] - (labels[d] === c ? 1 : 0)) / n;
        grad[biasAt + c] += diff;
        for (let k = 0; k < ids.length; k += 1) grad[ids[k] * 3 + c] += diff * values[k];
      }
    }
    for (let i = 0; i < size; i += 1) {
      const g = grad[i] + (i < biasAt ? options.l2 * w[i] : 0);
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = m[i] / (1 - beta1 ** step);
      const vHat = v[i] / (1 - beta2 ** step);
      w[i] -= (options.learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
    }
  }

  // The weights are written for unscaled features, so reading a request needs no scale table.
  // `|| 0` turns -0 into 0, as JSON writes it.
  const round = (value: number) => Math.round(value * 1e4) / 1e4 || 0;
  const weights: TrainedWeights['weights'] = {};
  vocabulary.forEach((feature, i) => {
    const triple: [number, number, number] = [
      round(w[i * 3] * scale[i]),
      round(w[i * 3 + 1] * scale[i]),
      round(w[i * 3 + 2] * scale[i]),
    ];
    // A feature whose weights are all but equal cannot move the decision: leave it out of the file.
    if (Math.max(...triple) - Math.min(...triple) >= 0.002) weights[feature] = triple;
  });
  return { bias: [round(w[biasAt]), round(w[biasAt + 1]), round(w[biasAt + 2])], weights };
}

/** A labelled request cut into the parts the sentence regression reads (see scope-decision.ts). */
export interface SentencedExample {
  /** `marked`: a person marked the sentence as carrying the refused ask. */
  sentences: Array<{ text: string; technical: boolean; ruled: boolean; marked: boolean }>;
  language: Language;
  label: ModelClass;
  /** Whether any sentence is marked; a refused request without marks has its refused sentence guessed. */
  marked: boolean;
}

/** Rounds of choosing each refused request's refused sentence and training again. */
const SENTENCE_ROUNDS = 2;

/**
 * Trains the one-sentence regression. Every sentence of an in-scope request is in scope. In a refused
 * request, the sentences people marked (test/fixtures/triage/refused-sentences.jsonl) are refused and
 * the rest, its story and greetings and technical questions, in scope: on cross-validation this caught
 * more Spanish refusals than guessing, at the same in-scope limits. A refused request nobody marked
 * has its refused sentence guessed, as in multiple-instance learning: the one the current reading finds
 * most likely (first by the whole-request regression, then by the sentence one, for a few rounds), with
 * the technical sentences that no rule caught taken to be in scope.
 */
export function trainSentenceWeights(
  examples: SentencedExample[],
  start: Weights,
  options: TrainingOptions = TRAINING_DEFAULTS,
): Weights {
  let reader = start;
  // With every refused request marked, nothing is guessed, and a second round would train the same again.
  const rounds = examples.some((example) => example.label !== 'accept' && !example.marked) ? SENTENCE_ROUNDS : 1;
  for (let round = 0; round < rounds; round += 1) {
    const sentences: TrainingExample[] = [];
    for (const { sentences: parts, language, label, marked } of examples) {
      if (label === 'accept') {
        for (const part of parts) sentences.push({ text: part.text, language, label });
        continue;
      }
      if (marked) {
        for (const part of parts) sentences.push({ text: part.text, language, label: part.marked ? label : 'accept' });
        continue;
      }
      const refusals = parts.map(
        (part) => readWithModel(reader, part.text, language, round === 0 ? featuresOf : sentenceFeaturesOf).refusal,
      );
      const refused = refusals.indexOf(Math.max(...refusals));
      if (refused < 0) continue;
      sentences.push({ text: parts[refused].text, language, label });
      parts.forEach((part, i) => {
        if (i !== refused && part.technical && !part.ruled) sentences.push({ text: part.text, language, label: 'accept' });
      });
    }
    reader = trainWeights(sentences, options, sentenceFeaturesOf);
  }
  return reader;
}

/** One request's signals (see SIGNALS) and whether it is to be refused. */
export interface CombinerExample {
  signals: number[];
  refused: boolean;
}

/**
 * Fits a language's combiner: a two-class logistic regression over a handful of signals, read from
 * requests each model did not train on (cross-validation), so it learns how far to trust each one.
 */
export function fitCombiner(examples: CombinerExample[], steps = 2000, learningRate = 0.05, l2 = 1e-3): Combiner {
  const size = examples[0]?.signals.length ?? 0;
  const w = new Float64Array(size + 1); // weights, then the bias
  const m = new Float64Array(size + 1);
  const v = new Float64Array(size + 1);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const n = Math.max(examples.length, 1);
  for (let step = 1; step <= steps; step += 1) {
    const grad = new Float64Array(size + 1);
    for (const { signals, refused } of examples) {
      let score = w[size];
      for (let j = 0; j < size; j += 1) score += w[j] * signals[j];
      const diff = (1 / (1 + Math.exp(-score)) - (refused ? 1 : 0)) / n;
      for (let j = 0; j < size; j += 1) grad[j] += diff * signals[j];
      grad[size] += diff;
    }
    for (let i = 0; i <= size; i += 1) {
      const g = grad[i] + (i < size ? l2 * w[i] : 0);
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      w[i] -= (learningRate * (m[i] / (1 - beta1 ** step))) / (Math.sqrt(v[i] / (1 - beta2 ** step)) + epsilon);
    }
  }
  const round = (value: number) => Math.round(value * 1e4) / 1e4 || 0;
  return { bias: round(w[size]), weights: [...w.subarray(0, size)].map(round) };
}

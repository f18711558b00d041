/**
 * The scope guard's decision (SPEC §5, §8): the rules (policy/scope-rules.yaml), which explain
 * themselves, and the trained model (policy/scope-model.json), which reads wordings nobody wrote a
 * rule for, the whole request and each sentence. The rules' findings and the two readings are
 * weighed into one refusal score by the language's combiner. Three outcomes: refuse when sure,
 * review (accepted, flagged for staff) when unsure, accept. A request that mixes a technical question
 * with a refused part is accepted and the refused part declined. Every refusal or flag names the
 * sentence behind it and why: the rule, or the words that weighed most.
 */
import { detectLanguage, type Language } from './detect-language';
import { featuresOf, piecesOf, requestReaders, sentenceFeaturesOf } from './scope-features';
import { readSentences, type RefusalCategory, type ScopeRules, type SentenceReading } from './scope-guard';
import {
  readWithModel,
  settingsFor,
  weightiestWords,
  type Combiner,
  type DecisionSettings,
  type ModelReading,
  type ScopeModel,
  type WeighedRegression,
  SIGNALS,
} from './scope-model';

/** Everything the decision is made from; the combiner and thresholds apply to it afterwards (so they can be tuned). */
export interface Evidence {
  language: Language;
  /** The whole-request regression's reading. */
  request: ModelReading;
  /** The word-piece regression's reading of the whole request. */
  pieces: ModelReading;
  sentences: Array<{
    sentence: string;
    /** Names a part of CM/ECF and asks about it or reports a problem (the rules' reading). */
    technical: boolean;
    rules: Array<{ rule: string; category: RefusalCategory; excerpt: string }>;
    /** The one-sentence regression's reading of this sentence. */
    model: ModelReading;
  }>;
}

export type Outcome = 'accept' | 'review' | 'refuse';

/** Why a request, or a part of it, was refused or flagged: the sentence, and the rule or the words. */
export interface Explanation {
  /** The rule's id, or "model" for the trained model. */
  rule: string;
  category: RefusalCategory;
  /** The words that matched the rule, or the sentence that weighed most (at most 160 characters). */
  excerpt: string;
  /** For the model: the filer's words that weighed most. */
  words?: string[];
}

export interface ScopeDecision {
  outcome: Outcome;
  /** The refused kind for `refuse` (judge contact first); for `review`, the kind suspected. */
  category: RefusalCategory | null;
  /** Accepted, but these parts are declined (a mixed request). */
  declined: RefusalCategory[];
  reasons: Explanation[];
  /** How sure the guard is: the in-scope probability when accepted, else the refusal probability (0..1; never shown to staff alone). */
  confidence: number;
  language: Language;
}

/** A sentence shorter than this is read together with the one before it ("Does that count?"). */
const SHORT_SENTENCE = 30;

/**
 * The text the sentence regression reads for each of the rules' sentences: the sentence, or for a
 * short one the sentence before it with it ("Does that count?" means little alone), unless the one
 * before is the subject line, which a short first sentence of the message does not follow on from.
 */
export function readingsOf(readings: SentenceReading[]): Array<{ reading: SentenceReading; text: string }> {
  return readings.map((reading, i) => {
    const before = readings[i - 1];
    const joined = before && reading.sentence.length < SHORT_SENTENCE && before.subject === reading.subject;
    return { reading, text: joined ? `${before.sentence} ${reading.sentence}` : reading.sentence };
  });
}

/** Reads a request with both stages; `decide` turns the reading into an outcome. */
export function gatherEvidence(rules: ScopeRules, input: { subject?: string; body: string }): Evidence {
  const text = `${input.subject ?? ''}\n${input.body}`;
  const language = detectLanguage(text);
  const read = requestReaders();
  // Each rule is written in one language and reads only requests in it.
  const sentences = readingsOf(readSentences(rules, input, language)).map(({ reading, text: sentenceText }) => ({
    sentence: sentenceText,
    technical: reading.technical,
    rules: reading.reasons,
    model: readWithModel(rules.model.sentence, sentenceText, language, read.sentenceFeatures),
  }));
  return {
    language,
    request: readWithModel(rules.model.request, text, language, read.features),
    pieces: readWithModel(rules.model.pieces, text, language, read.pieces),
    sentences,
  };
}

/** Log-odds, kept finite: a reading of exactly 0 or 1 would otherwise outweigh everything else. */
const logOdds = (p: number) => {
  const q = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Math.log(q / (1 - q));
};

/**
 * What the combiner weighs (SIGNALS in scope-model.ts): the whole request's reading, its most refusable
 * sentence's, whether a rule caught legal advice or judge contact, and the sentence regression's
 * reading of the sentences a rule caught (a rule's catch the model also doubts weighs less), and the
 * word-piece regression's reading of the whole request.
 */
export function signalsOf(evidence: Evidence): number[] {
  // Kept with the evidence: tuning decides the same requests under thousands of thresholds.
  let signals = signalsRead.get(evidence);
  if (!signals) signalsRead.set(evidence, (signals = readSignals(evidence)));
  return signals;
}

const signalsRead = new WeakMap<Evidence, number[]>();

function readSignals(evidence: Evidence): number[] {
  const ruled = evidence.sentences.filter((s) => s.rules.length > 0);
  const caught = (category: RefusalCategory) => (ruled.some((s) => s.rules.some((r) => r.category === category)) ? 1 : 0);
  return [
    logOdds(evidence.request.refusal),
    logOdds(Math.max(0, ...evidence.sentences.map((s) => s.model.refusal))),
    caught('legal_advice'),
    caught('judge_contact'),
    logOdds(Math.max(0, ...ruled.map((s) => s.model.refusal))),
    logOdds(evidence.pieces.refusal),
  ];
}

/** The combined refusal score (0..1) of a request's signals. */
export function refusalScore(signals: number[], combiner: Combiner): number {
  let score = combiner.bias;
  signals.forEach((signal, i) => (score += combiner.weights[i] * signal));
  return 1 / (1 + Math.exp(-score));
}

/**
 * The refused kind the model's readings agree on, when no rule named one: the whole request's two
 * readings and the suspect sentence's together, since one sentence alone misreads words it has not
 * seen (a misspelt question after a sentence that names the judge).
 */
function categoryRead(readings: ModelReading[]): RefusalCategory {
  let legalAdvice = 0;
  let judgeContact = 0;
  for (const { probabilities } of readings) {
    legalAdvice += probabilities[1];
    judgeContact += probabilities[2];
  }
  return judgeContact > legalAdvice ? 'judge_contact' : 'legal_advice';
}

const EXCERPT_LIMIT = 160;
const excerptOf = (text: string) => (text.length <= EXCERPT_LIMIT ? text : `${text.slice(0, EXCERPT_LIMIT - 1).trimEnd()}…`);

/**
 * The regressions that explain a refusal no rule caught, each trusted as far as the combiner trusts
 * its reading of the request (a reading it weighs against a refusal explains nothing).
 */
function explainingRegressions(model: ScopeModel, combiner: Combiner): WeighedRegression[] {
  const trust = (signal: (typeof SIGNALS)[number]) => Math.max(0, combiner.weights[SIGNALS.indexOf(signal)]);
  return [
    { weights: model.sentence, read: sentenceFeaturesOf, trust: trust('sentence') },
    { weights: model.request, read: featuresOf, trust: trust('request') },
    { weights: model.pieces, read: piecesOf, trust: trust('pieces') },
  ];
}

/** The sentences the sentence regression finds most refusable, which the other regressions read again. */
const CANDIDATE_SENTENCES = 3;

/**
 * Why the model refused or flagged a request no rule caught: of the sentences the sentence regression
 * finds most refusable, the one all three regressions, each reading that sentence alone and weighed as
 * the combiner weighs them, find most refusable; and its words that weighed most with all three. The
 * sentence regression alone reads whole words only, so a misspelt sentence ("the judge dismised my
 * case") was quoted with no words named. Only a few sentences are read again: every sentence of a long
 * email would cost more than the decision itself. Without the model (tuning, which needs only the
 * outcome), the sentence regression's choice.
 */
function modelReason(
  evidence: Evidence,
  suspect: Evidence['sentences'][number],
  category: RefusalCategory,
  combiner: Combiner,
  model?: ScopeModel,
): Explanation {
  if (!model) return { rule: 'model', category, excerpt: excerptOf(suspect.sentence) };
  const regressions = explainingRegressions(model, combiner);
  const candidates = [...evidence.sentences].sort((a, b) => b.model.refusal - a.model.refusal).slice(0, CANDIDATE_SENTENCES);
  let top = suspect;
  let most = -Infinity;
  for (const s of candidates) {
    let blame = 0;
    for (const { weights, read, trust } of regressions) {
      const reading = weights === model.sentence ? s.model : readWithModel(weights, s.sentence, evidence.language, read);
      blame += trust * logOdds(reading.refusal);
    }
    if (blame > most) [top, most] = [s, blame];
  }
  return {
    rule: 'model',
    category,
    excerpt: excerptOf(top.sentence),
    words: weightiestWords(regressions, top.sentence, evidence.language, category),
  };
}

/** The outcome for a request's evidence under a language's settings (chosen by `npm run train:scope`). */
export function decide(evidence: Evidence, settings: DecisionSettings, model?: ScopeModel): ScopeDecision {
  const { language } = evidence;
  const { thresholds } = settings;
  const refusal = refusalScore(signalsOf(evidence), settings.combiner);
  const outcome: Outcome = refusal >= thresholds.refuse ? 'refuse' : refusal >= thresholds.review ? 'review' : 'accept';
  if (outcome === 'accept') return { outcome, category: null, declined: [], reasons: [], confidence: 1 - refusal, language };

  // The sentences behind the refusal: those a rule caught, else the one the sentence regression weighs most.
  const ruled = evidence.sentences.filter((s) => s.rules.length > 0);
  const suspect =
    ruled.length > 0 ? ruled : [...evidence.sentences].sort((a, b) => b.model.refusal - a.model.refusal).slice(0, 1);
  const ruleCategories = new Set(ruled.flatMap((s) => s.rules.map((r) => r.category)));
  const category: RefusalCategory = ruleCategories.has('judge_contact')
    ? 'judge_contact'
    : ruleCategories.has('legal_advice')
      ? 'legal_advice'
      : categoryRead([evidence.request, evidence.pieces, ...suspect.map((s) => s.model)]);

  const reasons: Explanation[] = [];
  for (const s of ruled) for (const r of s.rules) reasons.push({ rule: r.rule, category: r.category, excerpt: r.excerpt });
  if (ruled.length === 0 && suspect.length > 0)
    reasons.push(modelReason(evidence, suspect[0], category, settings.combiner, model));

  // A technical question in a sentence of its own, with nothing refused in it, makes the request
  // mixed: it is answered, and the acknowledgement declines the refused part.
  const technical = evidence.sentences.some(
    (s) => s.technical && s.rules.length === 0 && s.model.refusal < thresholds.technicalSentence && !suspect.includes(s),
  );
  if (outcome === 'refuse' && technical) {
    const declined = [...new Set([...ruleCategories, ...(ruled.length === 0 ? [category] : [])])];
    return { outcome: 'accept', category: null, declined, reasons, confidence: refusal, language };
  }
  return { outcome, category, declined: [], reasons, confidence: refusal, language };
}

/** Reads and decides a request in one step. */
export function judgeRequest(rules: ScopeRules, input: { subject?: string; body: string }): ScopeDecision {
  const evidence = gatherEvidence(rules, input);
  return decide(evidence, settingsFor(rules.model, evidence.language), rules.model);
}

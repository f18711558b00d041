/**
 * The scope guard's decision (SPEC §5, §8): the rules (policy/scope-rules.yaml), which explain
 * themselves and are written for English, and the trained model (policy/scope-model.json), which
 * reads wordings nobody wrote a rule for and reads Spanish too. Three outcomes: refuse when sure,
 * review (accepted, flagged for staff) when unsure, accept. A request that mixes a technical question
 * with a refused part is accepted and the refused part declined. Every refusal or flag names the
 * sentence behind it and why: the rule, or the words that weighed most.
 */
import { detectLanguage, type Language } from './detect-language';
import { readSentences, type RefusalCategory, type ScopeRules } from './scope-guard';
import { readWithModel, weightiestWords, type ModelReading, type ScopeModel, type Thresholds } from './scope-model';

/** Everything the decision is made from; thresholds apply to it afterwards (so they can be tuned). */
export interface Evidence {
  language: Language;
  /** The model's reading of the whole request. */
  refusal: number;
  category: RefusalCategory;
  sentences: Array<{
    sentence: string;
    /** Names a part of CM/ECF and asks about it or reports a problem (the rules' reading). */
    technical: boolean;
    rules: Array<{ rule: string; category: RefusalCategory; excerpt: string }>;
    /**
     * The model's reading of this sentence alone. Read only when asked (and then kept): most requests
     * are accepted on the whole request's reading and never need their sentences'.
     */
    model: () => ModelReading;
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

/** Reads a request with both stages; `decide` turns the reading into an outcome. */
export function gatherEvidence(rules: ScopeRules, input: { subject?: string; body: string }): Evidence {
  const language = detectLanguage(`${input.subject ?? ''}\n${input.body}`);
  const whole = readWithModel(rules.model, `${input.subject ?? ''}\n${input.body}`, language);
  // Each rule is written in one language and reads only requests in it.
  const readings = readSentences(rules, input, language);
  const sentences = readings.map((reading) => {
    let read: ModelReading | undefined;
    return {
      sentence: reading.sentence,
      technical: reading.technical,
      rules: reading.reasons,
      model: () => (read ??= readWithModel(rules.model, reading.sentence, language)),
    };
  });
  return { language, refusal: whole.refusal, category: whole.category, sentences };
}

const EXCERPT_LIMIT = 160;
const excerptOf = (text: string) => (text.length <= EXCERPT_LIMIT ? text : `${text.slice(0, EXCERPT_LIMIT - 1).trimEnd()}…`);

/** The outcome for a request's evidence under the given thresholds (chosen by `npm run train:scope`). */
export function decide(evidence: Evidence, thresholds: Thresholds, model?: ScopeModel): ScopeDecision {
  const { language, refusal } = evidence;
  const ruled = evidence.sentences.filter((s) => s.rules.length > 0);
  let outcome: Outcome;
  // A rule's catch is refused when the model agrees, on the whole request or on the very sentence it
  // caught (a long technical email around one refused sentence scores low as a whole); else reviewed.
  const ruledRefusal = Math.max(refusal, ...ruled.map((s) => s.model().refusal));
  if (ruled.length > 0) outcome = ruledRefusal >= thresholds.ruleConfirm ? 'refuse' : 'review';
  else if (refusal >= thresholds.refuse) outcome = 'refuse';
  else if (refusal >= thresholds.review) outcome = 'review';
  else outcome = 'accept';
  if (outcome === 'accept') return { outcome, category: null, declined: [], reasons: [], confidence: 1 - refusal, language };

  const ruleCategories = new Set(ruled.flatMap((s) => s.rules.map((r) => r.category)));
  const category: RefusalCategory = ruleCategories.has('judge_contact')
    ? 'judge_contact'
    : ruleCategories.has('legal_advice')
      ? 'legal_advice'
      : evidence.category;

  // The sentences behind the refusal: those a rule caught, else the one the model weighs most.
  const suspect =
    ruled.length > 0 ? ruled : [...evidence.sentences].sort((a, b) => b.model().refusal - a.model().refusal).slice(0, 1);
  const reasons: Explanation[] = [];
  for (const s of ruled) for (const r of s.rules) reasons.push({ rule: r.rule, category: r.category, excerpt: r.excerpt });
  if (ruled.length === 0 && suspect.length > 0) {
    const top = suspect[0];
    reasons.push({
      rule: 'model',
      category: top.model().category,
      excerpt: excerptOf(top.sentence),
      ...(model ? { words: weightiestWords(model, top.sentence, language, top.model().category) } : {}),
    });
  }

  // A technical question in a sentence of its own, with nothing refused in it, makes the request
  // mixed: it is answered, and the acknowledgement declines the refused part.
  const technical = evidence.sentences.some(
    (s) => s.technical && s.rules.length === 0 && s.model().refusal < thresholds.technicalSentence && !suspect.includes(s),
  );
  if (outcome === 'refuse' && technical) {
    const declined = [...new Set([...ruleCategories, ...(ruled.length === 0 ? [category] : [])])];
    return { outcome: 'accept', category: null, declined, reasons, confidence: refusal, language };
  }
  return {
    outcome,
    category,
    declined: [],
    reasons,
    confidence: refusal,
    language,
  };
}

/** Reads and decides a request in one step. */
export function judgeRequest(rules: ScopeRules, input: { subject?: string; body: string }): ScopeDecision {
  const evidence = gatherEvidence(rules, input);
  return decide(evidence, rules.model.thresholds[evidence.language], rules.model);
}

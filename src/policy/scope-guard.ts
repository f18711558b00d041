/**
 * The scope guard (SPEC §5): decides whether a help request is about using CM/ECF (accept), asks for
 * legal advice, or asks the helpdesk to contact a judge. Every decision names the rule and quotes the
 * words that matched, and the rules themselves live in policy/scope-rules.yaml where an administrator
 * can read and correct them.
 */
import { SENTENCE_JOIN, type RefusalCategory, type ScopeRule, type ScopeRules } from './scope-rules';
import type { Language } from './detect-language';
import { splitSentences } from './split-sentences';

export { compileScopeRules, defaultScopeRulesFile, loadScopeRules } from './scope-rules';
export type { RefusalCategory, ScopeRule, ScopeRules } from './scope-rules';

export type Decision = 'accept' | RefusalCategory;

/** Why a request, or part of it, was refused. */
export interface Reason {
  /** The rule's id in the rules file. */
  rule: string;
  /** The words that matched, trimmed, at most 120 characters. */
  excerpt: string;
}

export interface TriageResult {
  /** 'accept' for in-scope requests and for mixed ones. */
  decision: Decision;
  /** Why: for a refusal, or for the refused part of a mixed request; [] when plainly in scope. */
  reasons: Reason[];
  /** The refused parts found (for a mixed request, its flags); [] when none. */
  refused: RefusalCategory[];
  /** A technical CM/ECF question plus a refused part: accepted, flagged. */
  mixed: boolean;
}

/** How one sentence was read; exported for the evaluation report and for staff tooling. */
export interface SentenceReading {
  sentence: string;
  /** From the subject line rather than the message. */
  subject: boolean;
  technical: boolean;
  reasons: Array<Reason & { category: RefusalCategory }>;
}

const EXCERPT_LIMIT = 120;

function excerptOf(words: string): string {
  const clean = words.replace(/\s+/g, ' ').trim();
  return clean.length <= EXCERPT_LIMIT ? clean : `${clean.slice(0, EXCERPT_LIMIT - 1).trimEnd()}…`;
}

/** Whether a rule's `requires` holds for the whole request (the same for every sentence, so read once). */
function requiresHold(rule: ScopeRule, whole: string): boolean {
  return rule.requires.length === 0 || rule.requires.some((pattern) => pattern.test(whole));
}

/**
 * The request's sentences, and the rules that may trip on one of them (screened once for the request):
 * the rules written in the request's language, or every rule when the language is not known.
 */
function screen(
  rules: ScopeRules,
  input: { subject?: string; body: string },
  language?: Language,
): { sentences: string[]; subjectSentences: number; applicable: ScopeRule[] } {
  const subject = input.subject?.trim() ?? '';
  const whole = `${subject}\n${input.body}`;
  const fromSubject = subject ? splitSentences(subject, rules) : [];
  const sentences = [...fromSubject, ...splitSentences(input.body, rules)];
  const joined = sentences.join(SENTENCE_JOIN);
  return {
    sentences,
    subjectSentences: fromSubject.length,
    applicable: rules.rules.filter(
      (rule) => (language === undefined || rule.language === language) && requiresHold(rule, whole) && rule.screen.test(joined),
    ),
  };
}

function readEach(rules: ScopeRules, sentences: string[], subjectSentences: number, applicable: ScopeRule[]): SentenceReading[] {
  return sentences.map((sentence, index) => {
    const technical = rules.technicalPhrase.test(sentence) && rules.technicalAsk.test(sentence);
    const reasons: SentenceReading['reasons'] = [];
    for (const rule of applicable) {
      if (technical && rule.excusedByTechnical) continue;
      for (const pattern of rule.patterns) {
        const match = pattern.exec(sentence);
        if (!match) continue;
        reasons.push({ rule: rule.id, category: rule.category, excerpt: excerptOf(match[0] || sentence) });
        break;
      }
    }
    return { sentence, subject: index < subjectSentences, technical, reasons };
  });
}

/** Reads each sentence of a request: is it a technical question, and which rules does it trip? */
export function readSentences(
  rules: ScopeRules,
  input: { subject?: string; body: string },
  language?: Language,
): SentenceReading[] {
  const { sentences, subjectSentences, applicable } = screen(rules, input, language);
  return readEach(rules, sentences, subjectSentences, applicable);
}

/** Decides whether a request is in scope (SPEC §5), with the reasons for any refusal or flag. */
export function triage(rules: ScopeRules, input: { subject?: string; body: string }): TriageResult {
  const { sentences, subjectSentences, applicable } = screen(rules, input);
  // Most requests trip no rule at all: nothing to read sentence by sentence.
  if (applicable.length === 0) return { decision: 'accept', reasons: [], refused: [], mixed: false };
  const readings = readEach(rules, sentences, subjectSentences, applicable);
  const found = readings.flatMap((reading) => reading.reasons);
  if (found.length === 0) return { decision: 'accept', reasons: [], refused: [], mixed: false };

  const refused = (['judge_contact', 'legal_advice'] as const).filter((category) => found.some((r) => r.category === category));
  const reasons: Reason[] = [];
  for (const { rule, excerpt } of found) {
    if (!reasons.some((r) => r.rule === rule && r.excerpt === excerpt)) reasons.push({ rule, excerpt });
  }
  // A technical question in a sentence of its own makes the request mixed: accept it, decline the rest.
  const mixed = readings.some((reading) => reading.technical && reading.reasons.length === 0);
  return { decision: mixed ? 'accept' : refused[0], reasons, refused, mixed };
}

/**
 * What intake decides from a request's words alone, before anything is stored: the policy reading
 * (privacy masking and the scope guard) and the case numbers. The ticket service makes it for every
 * request; the mail reader makes it for emailed requests on its own thread, ahead of time, and the
 * ticket service takes that one only for a request with exactly the words it was made from.
 */
import { findCaseNumbers, parseCaseNumber, type CaseNumber } from '../case-numbers/find-case-numbers';
import { detectLanguage } from '../policy/detect-language';
import { readIntake, type IntakeReading } from '../policy/intake-policy';
import { maskPrivateData } from '../privacy/mask';
import type { ScopeRules } from '../policy/scope-guard';

/** The words of a request that intake reads. */
export interface RequestWords {
  subject: string;
  body: string;
  /** The case-number field of the web form, when filled in. */
  caseNumber?: string;
  /** Email: what the scope guard judges, the sender's own words ('' for mail from a court itself). */
  ownWords?: string;
}

export interface IntakeAssessment {
  /** The words it was made from, and the rules (their fingerprint). */
  words: RequestWords;
  rules: string;
  policy: IntakeReading;
  caseNumbers: CaseNumber[];
}

// A pasted docket report can hold hundreds; the first fifty are plenty to route a request.
const MAX_CASE_NUMBERS = 50;

/** Case numbers from the case-number field first, then those found in the subject and description. */
function caseNumbersOf(words: RequestWords): CaseNumber[] {
  const fromField = words.caseNumber ? parseCaseNumber(words.caseNumber) : null;
  const found = findCaseNumbers(`${words.subject}\n${words.body}`);
  // The same case written in the description often carries more (the judge's initials, a defendant
  // number) than the filer typed in the field: the field's entry keeps that too.
  const same = fromField ? found.find((c) => c.number === fromField.number) : undefined;
  const field =
    fromField && same
      ? {
          ...same,
          ...fromField,
          judgeInitials: fromField.judgeInitials.length > 0 ? fromField.judgeInitials : same.judgeInitials,
          defendant: fromField.defendant ?? same.defendant,
        }
      : fromField;
  const all = field ? [field, ...found.filter((c) => c.number !== field.number)] : found;
  return all.slice(0, MAX_CASE_NUMBERS);
}

export function assessIntake(rules: ScopeRules, words: RequestWords): IntakeAssessment {
  return { words, rules: rules.fingerprint, policy: readIntake(rules, words), caseNumbers: caseNumbersOf(words) };
}

/**
 * Privacy masking and case numbers without the scope guard: for a record the helpdesk keeps whatever
 * it asks (a filer's report of an outage), which is never refused or flagged for review.
 */
export function assessWithoutJudging(rules: ScopeRules, words: RequestWords): IntakeAssessment {
  const subject = maskPrivateData(words.subject);
  const body = maskPrivateData(words.body);
  const redactions = [...subject.redactions, ...body.redactions];
  const policy: IntakeReading = {
    subject: subject.text,
    body: body.text,
    redactions,
    refusal: null,
    declined: [],
    review: false,
    confidence: 1,
    reasons: [],
    flags: redactions.length > 0 ? ['privacy_redacted'] : [],
    language: detectLanguage(`${subject.text}\n${body.text}`),
  };
  return { words, rules: rules.fingerprint, policy, caseNumbers: caseNumbersOf(words) };
}

/** Whether an assessment made elsewhere is one of these very words, by these same rules. */
export function isAssessmentOf(assessment: IntakeAssessment, words: RequestWords, rules: ScopeRules): boolean {
  const made = assessment.words;
  return (
    assessment.rules === rules.fingerprint &&
    made.subject === words.subject &&
    made.body === words.body &&
    made.caseNumber === words.caseNumber &&
    made.ownWords === words.ownWords
  );
}

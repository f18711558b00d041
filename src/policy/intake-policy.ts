import { maskPrivateData, type Redaction } from '../privacy/mask';
import type { Language } from './detect-language';
import { judgeRequest, type Explanation } from './scope-decision';
import type { RefusalCategory, ScopeRules } from './scope-guard';

/** What the intake policy decides for a new request, before anything is stored. */
export interface IntakeReading {
  subject: string; // masked
  body: string; // masked
  redactions: Redaction[];
  refusal: RefusalCategory | null; // the whole request is refused
  declined: RefusalCategory[]; // accepted, but these parts are declined (a mixed request)
  /** Accepted, but the scope guard is unsure: flagged `needs_review`, shown to staff first. */
  review: boolean;
  /** How sure the scope guard is of its outcome, 0..1. */
  confidence: number;
  reasons: Explanation[];
  flags: string[];
  language: Language;
}

/**
 * The one policy step for every intake path (web, API, email): privacy masking, then the scope guard
 * on the masked text. Nothing is dropped: the caller stores the request whatever the decision.
 */
export function readIntake(rules: ScopeRules, input: { subject: string; body: string; ownWords?: string }): IntakeReading {
  const subject = maskPrivateData(input.subject);
  const body = maskPrivateData(input.body);
  // Email: the scope guard reads only what the sender wrote, not the court notice they forwarded.
  const judged = input.ownWords === undefined || input.ownWords === input.body ? body.text : maskPrivateData(input.ownWords).text;
  const decision = judgeRequest(rules, { subject: input.ownWords === '' ? '' : subject.text, body: judged });
  const refusal = decision.outcome === 'refuse' ? decision.category : null;
  const review = decision.outcome === 'review';
  const declined = decision.declined;
  const redactions = [...subject.redactions, ...body.redactions];
  const flags = [
    ...new Set([
      ...(refusal ? [refusal] : []),
      ...declined,
      ...(review ? ['needs_review'] : []),
      ...(redactions.length > 0 ? ['privacy_redacted'] : []),
    ]),
  ];
  return {
    subject: subject.text,
    body: body.text,
    redactions,
    refusal,
    declined,
    review,
    confidence: decision.confidence,
    reasons: decision.reasons,
    flags,
    language: decision.language,
  };
}

// Made-up requests: one that trips the privacy masking and several rules, one plainly technical.
const WARM_UP = [
  {
    subject: 'Warm up: cannot file in 3:20-cv-01234-JST',
    body: 'My SSN is 123-45-6789 and I was born 01/02/1990. My son John Doe, age 9, is a party. Please tell the judge. Which event do I use?',
  },
  {
    subject: 'Upload problem',
    body: 'Hello,\n\nThe PDF will not upload. It is only 8 MB. What should I do?\n\nThank you,\nA filer',
  },
];

/**
 * Runs made-up requests through the whole policy (privacy masking, case numbers, sentences, rules,
 * model) at start, so that what loads on first use (the stemmers, the expressions) loads before the
 * first filer waits for it.
 */
export function warmUpIntake(rules: ScopeRules): void {
  for (const request of WARM_UP) readIntake(rules, request);
}

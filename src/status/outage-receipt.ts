import { formatInstant, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Language } from '../i18n/i18n';
import { isOutageScope, scopeLabel } from './outage-scopes';

/** What a receipt records, as the database holds it. Times are ISO-8601 UTC strings. */
export interface ReceiptFacts {
  reference: string;
  requesterName: string;
  scope: string;
  caseNumbers: string[];
  /** What the filer wrote, as stored (private numbers masked). */
  description: string;
  receivedAt: string;
  observedAt: string | null;
  /** The outage of the report's scope declared when the report came in, with its message then; null: none. */
  outage: { scope: string; message: string; startedAt: string; endedAt: string | null } | null;
}

/** A receipt in words: times in the court's zone, with the zone named. The page and the email say the same. */
export interface ReceiptText {
  reference: string;
  requesterName: string;
  what: string;
  caseNumbers: string[];
  description: string;
  receivedAt: string;
  observedAt: string | null;
  outage: { what: string; message: string; startedAt: string; endedAt: string | null } | null;
  procedure: string;
}

const labelOf = (scope: string, language: Language) => (isOutageScope(scope) ? scopeLabel(scope, language) : scope);

/** An instant in the court's time: "Thursday, December 3, 2026 at 9:05 a.m. PST (Pacific Time)". */
export function courtTime(iso: string, zone: string, language: Language = 'en'): string {
  return `${formatInstant(iso, zone, language)} (${zoneName(zone, new Date(iso), language)})`;
}

const courtTimeIn = courtTime;

/** A receipt in words in a language (the page's, or the report's for the email). */
export function describeReceipt(facts: ReceiptFacts, profile: CourtProfile, language: Language = 'en'): ReceiptText {
  const zone = profile.timezone;
  const courtTime = (iso: string) => courtTimeIn(iso, zone, language);
  return {
    reference: facts.reference,
    requesterName: facts.requesterName,
    what: labelOf(facts.scope, language),
    caseNumbers: facts.caseNumbers,
    description: facts.description,
    receivedAt: courtTime(facts.receivedAt),
    observedAt: facts.observedAt ? courtTime(facts.observedAt) : null,
    outage: facts.outage && {
      what: labelOf(facts.outage.scope, language),
      message: facts.outage.message,
      startedAt: courtTime(facts.outage.startedAt),
      endedAt: facts.outage.endedAt ? courtTime(facts.outage.endedAt) : null,
    },
    procedure: profile.outages.technicalFailureProcedure,
  };
}

/**
 * The public message an outage had at `at`: that of its latest declaration or update recorded by then
 * (events are never rewritten, so a later update does not change an earlier receipt).
 */
export function messageAt(
  events: Array<{ kind: string; message: string | null; recordedAt: string }>,
  at: string,
  fallback: string,
): string {
  const said = events.filter((e) => (e.kind === 'declared' || e.kind === 'updated') && e.message !== null && e.recordedAt <= at);
  return said.at(-1)?.message ?? fallback;
}

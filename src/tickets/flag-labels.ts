/**
 * What a ticket's flags mean, in the words staff read on the queue and the ticket page (the flags
 * themselves are codes kept in the database and the export).
 */
const FLAG_LABELS: Record<string, string> = {
  legal_advice: 'legal advice',
  judge_contact: 'message for a judge',
  needs_review: 'needs review',
  privacy_redacted: 'private numbers hidden',
  review_requested: 'filer says it is a CM/ECF question',
};

/** A flag in plain words; a flag without a label is shown as written. */
export const flagLabel = (flag: string): string => FLAG_LABELS[flag] ?? flag.replace(/_/g, ' ');

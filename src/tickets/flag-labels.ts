/**
 * What a ticket's flags mean, in the words staff read on the queue and the ticket page (the flags
 * themselves are codes kept in the database and the export).
 */
const FLAG_LABELS: Record<string, string> = {
  legal_advice: 'asks for legal advice',
  judge_contact: 'asks us to contact a judge',
  needs_review: 'needs a person to check it is a CM/ECF question',
  privacy_redacted: 'private numbers hidden',
  review_requested: 'filer says it is a CM/ECF question',
  outage_report: 'report of a system outage',
};

/** A flag in plain words; a flag without a label is shown with its underscores as spaces. */
export const flagLabel = (flag: string): string => FLAG_LABELS[flag] ?? flag.replace(/_/g, ' ');

/** What an outage can affect: the keys are the contract (SPEC §10), the labels are what people read. */
export const OUTAGE_SCOPES = ['cmecf', 'pacer', 'email-notices', 'helpdesk-phone', 'other'] as const;
export type OutageScope = (typeof OUTAGE_SCOPES)[number];

export const SCOPE_LABELS: Record<OutageScope, string> = {
  cmecf: 'CM/ECF (electronic filing)',
  pacer: 'PACER (viewing case records)',
  'email-notices': 'Email notices of filings',
  'helpdesk-phone': 'Helpdesk phone line',
  other: 'Other court systems',
};

/** What the banner says is wrong, in a few plain words. */
export const SCOPE_DOWN_TEXT: Record<OutageScope, string> = {
  cmecf: 'CM/ECF is down: electronic filing is not working.',
  pacer: 'PACER is down: case records cannot be viewed online.',
  'email-notices': 'Email notices of filings are not being sent.',
  'helpdesk-phone': 'The helpdesk phone line is not working: please email us.',
  other: 'A court system is not working.',
};

export function isOutageScope(value: unknown): value is OutageScope {
  return typeof value === 'string' && (OUTAGE_SCOPES as readonly string[]).includes(value);
}

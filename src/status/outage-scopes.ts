import { translator, type Language } from '../i18n/i18n';

/** What an outage can affect: the keys are the contract (SPEC §10), the labels are what people read. */
export const OUTAGE_SCOPES = ['cmecf', 'pacer', 'email-notices', 'helpdesk-phone', 'other'] as const;
export type OutageScope = (typeof OUTAGE_SCOPES)[number];

/** What an outage affects, as people read it, in a language (locales/<language>/status.json). */
export const scopeLabel = (scope: OutageScope, language: Language = 'en'): string =>
  translator(language)(`status:scopes.${scope}`);

/** What the banner says is wrong, in a few plain words, in a language. */
export const scopeDownText = (scope: OutageScope, language: Language = 'en'): string =>
  translator(language)(`status:down.${scope}`);

/** The labels staff pages show (English). */
export const SCOPE_LABELS = Object.fromEntries(OUTAGE_SCOPES.map((s) => [s, scopeLabel(s)])) as Record<OutageScope, string>;

export function isOutageScope(value: unknown): value is OutageScope {
  return typeof value === 'string' && (OUTAGE_SCOPES as readonly string[]).includes(value);
}

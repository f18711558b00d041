import { LANGUAGES, translator, type Language } from '../i18n/i18n';
import type { RefusalCategory } from './scope-guard';

/** What the filer is told about a refusal or a declined part: what, why, and where to go instead. */
export interface RefusalText {
  summary: string;
  explanation: string;
  /** The FAQ answer that explains the policy. */
  policyAnswer: string;
  whereToGo: string[];
}

const POLICY_ANSWERS: Record<RefusalCategory, string> = {
  legal_advice: '/faq/legal-advice-policy',
  judge_contact: '/faq/ex-parte-policy',
};

function refusalIn(language: Language, category: RefusalCategory): RefusalText {
  const t = translator(language);
  return {
    summary: t(`refusals:${category}.summary`),
    explanation: t(`refusals:${category}.explanation`),
    policyAnswer: POLICY_ANSWERS[category],
    whereToGo: t(`refusals:${category}.whereToGo`, { returnObjects: true }) as string[],
  };
}

const CATEGORIES = Object.keys(POLICY_ANSWERS) as RefusalCategory[];

/**
 * Plain-language text for refusals and declined parts in each language, from the `refusals`
 * catalogue (locales/<language>/refusals.json), read once at start.
 */
export const REFUSAL_TEXT = Object.fromEntries(
  LANGUAGES.map((language) => [language, Object.fromEntries(CATEGORIES.map((c) => [c, refusalIn(language, c)]))]),
) as Record<Language, Record<RefusalCategory, RefusalText>>;

/** The warning shown and sent when private numbers were masked, in each language. */
export const PRIVACY_WARNING = Object.fromEntries(
  LANGUAGES.map((language) => [language, translator(language)('refusals:privacyWarning')]),
) as Record<Language, string>;

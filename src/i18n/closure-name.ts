import { hasMessage, translator, type Language } from './i18n';

/** The catalogue key of a closure's name: "Thanksgiving Day" → `home:holidays.thanksgiving-day`. */
const keyOf = (name: string) =>
  `home:holidays.${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;

/**
 * A closure's name in a language: federal holidays from the catalogue; a court's own closure keeps
 * the name its profile gives (written by the court, in one language).
 */
export function closureName(name: string, language: Language): string {
  const key = keyOf(name);
  return language !== 'en' && hasMessage(language, key) ? translator(language)(key) : name;
}

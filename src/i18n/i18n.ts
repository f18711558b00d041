import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { PROJECT_ROOT } from '../paths';

/**
 * The filer's languages and their message catalogues. Every public page, form, error and filer email
 * takes its words from `locales/<language>/<namespace>.json`; staff pages stay in English.
 *
 * In a view: `t('help:title')`, `t('common:hours', { count })` (plurals follow Intl's rules for the
 * language). In a service: `translator(language)('emails:ack.subject', { reference })`.
 * Values are not HTML-escaped here: EJS escapes them with `<%=`.
 *
 * Where each kind of text comes from: page words `t()` (page-language.ts sets it, with `clockTime`,
 * `formatDate` in the page's language; dates elsewhere take a language: calendar/describe-hours.ts);
 * form errors, catalogue keys in a schema's MessageTable (http/validate.ts); filer email, one template
 * per message given `lang` (mail/outbound/render-email.ts); refusals, the `refusals` namespace; error
 * pages, `errors` (error-text.ts). A ticket's language is recorded at intake (tickets/request-language.ts).
 */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The name of each language written in that language, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

export const LOCALES_DIR = path.join(PROJECT_ROOT, 'locales');

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Every catalogue on disk: language → namespace → messages (nested objects of strings). */
export function readCatalogues(dir = LOCALES_DIR): Record<Language, Record<string, Record<string, unknown>>> {
  const out = {} as Record<Language, Record<string, Record<string, unknown>>>;
  for (const language of LANGUAGES) {
    out[language] = {};
    const folder = path.join(dir, language);
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const namespace = file.slice(0, -'.json'.length);
      try {
        out[language][namespace] = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
      } catch (err) {
        throw new Error(`locales/${language}/${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  return out;
}

const catalogues = readCatalogues();
const i18n = i18next.createInstance();
void i18n.init({
  // Catalogues are read from disk above, so initialisation finishes before the first request.
  initAsync: false,
  resources: catalogues,
  supportedLngs: [...LANGUAGES],
  fallbackLng: 'en',
  ns: Object.keys(catalogues.en),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * The message function for one language. It calls `i18n.t` with the language rather than handing out
 * i18next's fixed-language function, which copies every init option at each call: an acknowledgement
 * asks for some twenty messages, and mail intake writes one for each request it reads.
 */
export function translator(language: Language): TFunction {
  const fixed = i18n.getFixedT(language);
  const plain = plainMessages[language];
  const t = (key: string | string[], options?: unknown, ...rest: unknown[]) => {
    // A message without values never changes (the catalogues are read once, at start): keep it.
    if (options === undefined && typeof key === 'string') {
      let message = plain.get(key);
      if (message === undefined) plain.set(key, (message = i18n.t(key, { lng: language })));
      return message;
    }
    return typeof options === 'object' && options !== null
      ? i18n.t(key, { ...options, lng: language })
      : (fixed as unknown as (...args: unknown[]) => string)(key, options, ...rest);
  };
  return t as unknown as TFunction;
}

const plainMessages: Record<Language, Map<string, string>> = { en: new Map(), es: new Map() };

/** Whether a key exists in a language (for tests and for optional text such as a profile's referrals). */
export function hasMessage(language: Language, key: string): boolean {
  return i18n.exists(key, { lng: language, fallbackLng: false });
}

import type { AppError } from '../errors';
import { hasMessage, readCatalogues, translator, type Language } from './i18n';

// The English messages that have their own catalogue entry (errors:messages.*), found by their text:
// several errors share a code (not_found) but say different, useful things.
const BY_TEXT = new Map(
  Object.entries((readCatalogues().en.errors?.messages ?? {}) as Record<string, string>).map(([key, text]) => [
    text,
    `errors:messages.${key}`,
  ]),
);

/**
 * What an error page says, in the page's language: the error's own message when it has a catalogue
 * entry, else the message for its code, else for its status. English pages show the message as thrown.
 */
export function errorText(error: AppError, language: Language): { title: string; message: string } {
  const t = translator(language);
  const title = t(error.status === 404 ? 'errors:notFoundTitle' : 'errors:errorTitle');
  if (language === 'en') return { title, message: error.message };
  const key =
    BY_TEXT.get(error.message) ??
    [`errors:codes.${error.code}`, `errors:status.${error.status}`, `errors:status.${error.status >= 500 ? 500 : 400}`].find(
      (k) => hasMessage(language, k),
    ) ??
    'errors:status.500';
  return { title, message: t(key) };
}

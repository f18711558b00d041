import type { NextFunction, Request, Response } from 'express';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, translator, type Language } from './i18n';

/** The cookie that keeps a filer's choice of language (one year; not a secret, readable by scripts). */
export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Chooses the language of a public page (SPEC §14): `?lang=` (which the switch links to, and which is
 * then kept in a cookie), else the cookie, else the browser's Accept-Language, else English.
 *
 * Sets for the views: `lang` (the `<html lang>`), `t`, `languageSwitch` (a link per other language to
 * this same page) and `unknownLanguage` when `?lang=` named a language we do not have, so the page
 * can say so in the language it is shown in rather than fail.
 */
export function pageLanguage(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const asked = typeof req.query.lang === 'string' ? req.query.lang.trim().toLowerCase() : undefined;
    let language: Language;
    if (isLanguage(asked)) {
      language = asked;
      if (req.cookies?.[LANGUAGE_COOKIE] !== asked) {
        res.cookie(LANGUAGE_COOKIE, asked, { maxAge: ONE_YEAR_MS, sameSite: 'lax', secure, httpOnly: false });
      }
    } else {
      const kept = req.cookies?.[LANGUAGE_COOKIE];
      language = isLanguage(kept) ? kept : fromAcceptLanguage(req);
      if (asked !== undefined) res.locals.unknownLanguage = asked.slice(0, 20);
    }
    setPageLanguage(req, res, language);
    next();
  };
}

/** Sets the language locals (also used by a handler that learns the language later, e.g. a ticket's). */
export function setPageLanguage(req: Request, res: Response, language: Language): void {
  res.locals.lang = language;
  res.locals.t = translator(language);
  res.locals.languageSwitch = LANGUAGES.filter((l) => l !== language).map((l) => ({
    lang: l,
    name: LANGUAGE_NAMES[l],
    href: withLanguage(req.originalUrl, l),
  }));
}

/** The language a page is shown in (set by pageLanguage; English where it did not run, e.g. the API). */
export function languageOf(res: Response): Language {
  return isLanguage(res.locals.lang) ? res.locals.lang : 'en';
}

function fromAcceptLanguage(req: Request): Language {
  const best = req.acceptsLanguages([...LANGUAGES]);
  return isLanguage(best) ? best : 'en';
}

/** The same path and query with `lang` set to the language. */
function withLanguage(originalUrl: string, language: Language): string {
  const url = new URL(originalUrl, 'http://x');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

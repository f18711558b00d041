import type { NextFunction, Request, Response } from 'express';
import { clockTime, formatDate } from '../calendar/describe-hours';
import { closureName } from './closure-name';
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
    // Staff pages are English only: neither the filer's cookie nor ?lang= reaches them.
    if (req.path === '/staff' || req.path.startsWith('/staff/')) {
      setPageLanguage(req, res, 'en');
      return next();
    }
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
  // The views' date and time helpers, in the page's language (app.locals has the English ones).
  res.locals.clockTime = (hhmm: string) => clockTime(hhmm, language);
  res.locals.formatDate = (isoDate: string) => formatDate(isoDate, language);
  res.locals.closureName = (name: string) => closureName(name, language);
  // A part of the page in another language (a notice in the request's language): `tIn('es')('refusals:…')`.
  res.locals.tIn = (other: unknown) => translator(isLanguage(other) ? other : language);
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

// The query parameters public pages read (a search, a page of a list, a month of bookable days, a
// notice after a form): the switch keeps them so the page comes back the same. Anything else in the
// address is left out, so a page never repeats words it did not write (a receipt shows only its record).
const KEPT_PARAMETERS = new Set(['q', 'page', 'from', 'thanks', 'done', 'day', 'days', 'month', 'year']);

/** The same path and the query the page reads, with `lang` set to the language. */
function withLanguage(originalUrl: string, language: Language): string {
  const url = new URL(originalUrl, 'http://x');
  for (const name of [...url.searchParams.keys()]) if (!KEPT_PARAMETERS.has(name)) url.searchParams.delete(name);
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { parseOrThrow } from '../http/validate';
import { languageOf } from '../i18n/page-language';
import type { AnswerLanguage } from './faq-answers.repository';
import { FAQ_CATEGORIES, type FaqAnswer } from './faq-content';
import type { FaqLibrary } from './faq-library';
import type { FaqSearch } from './faq-search';
import type { FaqUsage } from './faq-usage';
import { recordFaqEvent } from './faq.repository';
import { answerQuerySchema, feedbackSchema, searchMessages, searchQuerySchema } from './faq.schema';

const fromRequest = (req: Request) => req.query.from === 'request';

/**
 * The FAQ pages (`/faq`, `/faq/:id`, feedback) and the FAQ JSON API. Every handler reads the index
 * through `fresh()`, so an answer published in any process is found here within a second. Searches
 * typed by filers and answers read are counted for staff (`usage`); what was typed never reaches the
 * access log (the search API is served before the request logger).
 */
export function faqHandlers(deps: { faq: FaqLibrary; usage?: FaqUsage; db: Db; now: () => Date }) {
  const answerOr404 = (faq: FaqSearch, id: string) => {
    const answer = faq.get(id);
    if (!answer) throw new NotFound('There is no answer at this address. Try searching the answers instead.');
    return answer;
  };

  /**
   * An answer in the language asked for: the Spanish version when there is one, else the English
   * one (`untranslated`), with the related answers of the index it came from.
   */
  async function answerIn(id: string, language: AnswerLanguage) {
    const english = await deps.faq.fresh('en');
    const own = language === 'en' ? english : await deps.faq.fresh(language);
    const translated = own.get(id);
    const from = translated ? own : english;
    const answer: FaqAnswer = translated ?? answerOr404(english, id);
    return { answer, language: translated ? language : 'en', untranslated: !translated, related: from.related(id) };
  }

  // The same few queries come again and again while filers type: keep the finished response (body
  // and its ETag) so a repeat costs no search, no serialising and no hashing. Cleared with the index.
  const responses = new LRUCache<string, { body: string; etag: string; found: number }>({ max: 2000 });
  const responsesFor = new Map<AnswerLanguage, FaqSearch>();

  function answerSearch(
    faq: FaqSearch,
    res: Response,
    query: { q: string; limit: number; mode: 'all' | 'any'; lang: AnswerLanguage },
  ) {
    const { q, limit, mode, lang } = query;
    if (faq !== responsesFor.get(lang)) {
      responses.clear();
      responsesFor.set(lang, faq);
    }
    const key = `${lang}|${mode}|${limit}|${q}`;
    let response = responses.get(key);
    if (!response) {
      const results = faq.search(q, { limit, mode });
      const body = JSON.stringify({ query: q, results });
      response = { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`, found: results.length };
      responses.set(key, response);
    }
    // Typed searches only: `any` is the request form's suggestions, read from the whole request.
    if (mode === 'all') deps.usage?.searched(q, response.found);
    res.set('ETag', response.etag).type('application/json').send(response.body);
  }

  // Synchronous while the index is known current (nearly always): this route is hit on every keystroke.
  const apiSearch: RequestHandler = (req, res, next) => {
    const query = parseOrThrow(searchQuerySchema, req.query, searchMessages);
    const ready = deps.faq.freshNow(query.lang);
    if (ready) return answerSearch(ready, res, query);
    deps.faq.fresh(query.lang).then((faq) => answerSearch(faq, res, query), next);
  };

  const apiAnswer: RequestHandler = async (req, res) => {
    const { lang } = parseOrThrow(answerQuerySchema, req.query, searchMessages);
    const { answer, language, related } = await answerIn(String(req.params.id), lang);
    res.json({
      id: answer.id,
      title: answer.title,
      category: answer.category,
      html: answer.html,
      related,
      language,
    });
  };

  /** Browsing by topic: the answers of the page's language, and the English ones not yet translated. */
  function browse(own: FaqSearch, english: FaqSearch) {
    if (own === english) return english.byCategory(FAQ_CATEGORIES);
    const translated = own.byCategory(FAQ_CATEGORIES);
    return english.byCategory(FAQ_CATEGORIES).map(({ category, answers }) => {
      const mine = translated.find((g) => g.category === category)?.answers ?? [];
      const rest = answers.filter((a) => !own.get(a.id));
      return { category, answers: [...mine, ...rest].sort((a, b) => a.title.localeCompare(b.title, 'es')) };
    });
  }

  const page: RequestHandler = async (req, res) => {
    const parsed = searchQuerySchema.safeParse(req.query);
    const q = parsed.success ? parsed.data.q.trim() : '';
    const language = languageOf(res);
    const faq = await deps.faq.fresh(language);
    const results = q ? faq.search(q, { limit: 20 }) : [];
    if (q) deps.usage?.searchedOnPage(req, res, q, results.length);
    res.render('faq/index', {
      title: q ? res.locals.t('faq:titleFor', { q }) : res.locals.t('faq:title'),
      q,
      results,
      groups: q ? [] : browse(faq, await deps.faq.fresh('en')),
      tooLong: !parsed.success,
    });
  };

  const answerPage: RequestHandler = async (req, res) => {
    const { answer, language, untranslated, related } = await answerIn(String(req.params.id), languageOf(res));
    if (fromRequest(req) && !req.query.thanks)
      await recordFaqEvent(deps.db, answer.id, 'suggestion_opened', deps.now().toISOString());
    if (!req.query.thanks) deps.usage?.viewedOnPage(req, res, answer.id);
    res.render('faq/answer', {
      title: answer.title,
      answer,
      // The answer's own language, for its lang attribute: English on a Spanish page when untranslated.
      answerLanguage: language,
      untranslated,
      related,
      fromRequest: fromRequest(req),
      thanks: req.query.thanks === 'yes' ? 'yes' : req.query.thanks === 'no' ? 'no' : null,
    });
  };

  const feedback: RequestHandler = async (req, res) => {
    const answer = answerOr404(await deps.faq.fresh(), String(req.params.id));
    const parsed = feedbackSchema.safeParse(req.body);
    if (!parsed.success) {
      res.redirect(303, `/faq/${answer.id}`);
      return;
    }
    const at = deps.now().toISOString();
    await recordFaqEvent(deps.db, answer.id, parsed.data.helpful === 'yes' ? 'helpful' : 'not_helpful', at);
    // A filer who came from the request form and says the answer solved it did not need to write in.
    if (parsed.data.from === 'request' && parsed.data.helpful === 'yes')
      await recordFaqEvent(deps.db, answer.id, 'request_abandoned', at);
    res.redirect(303, `/faq/${answer.id}?thanks=${parsed.data.helpful}${parsed.data.from ? '&from=request' : ''}#feedback`);
  };

  /** Before any other page: the index current with the database, for the pages that read it synchronously (the thank-you page, the staff reply picker). */
  const keepFresh: RequestHandler = async (_req, _res, next) => {
    await deps.faq.fresh();
    next();
  };

  /**
   * Before the request form's handler: when it answers with the redirect of a request sent, the
   * searches and answers this browser read just before count as followed by a request.
   */
  const countRequestSent: RequestHandler = (req, res, next) => {
    const usage = deps.usage;
    if (!usage) return next();
    const writeHead = res.writeHead;
    // Set just before the headers go, when the outcome is known (as the on-headers package does).
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      if (res.statusCode === 303 && /^\/requests\/[^/]+\/received$/.test(String(res.getHeader('location') ?? '')))
        usage.requestSent(req, res);
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  };

  return { apiSearch, apiAnswer, page, answerPage, feedback, keepFresh, countRequestSent };
}

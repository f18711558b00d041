import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { parseOrThrow } from '../http/validate';
import { FAQ_CATEGORIES } from './faq-content';
import type { FaqLibrary } from './faq-library';
import { recordFaqEvent } from './faq.repository';
import { feedbackSchema, searchMessages, searchQuerySchema } from './faq.schema';

const fromRequest = (req: Request) => req.query.from === 'request';

/** The FAQ pages (`/faq`, `/faq/:id`, feedback) and the FAQ JSON API. */
export function faqHandlers(deps: { faq: FaqLibrary; db: Db; now: () => Date }) {
  const answerOr404 = (id: string) => {
    const answer = deps.faq.current().get(id);
    if (!answer) throw new NotFound('There is no answer at this address. Try searching the answers instead.');
    return answer;
  };

  // The same few queries come again and again while filers type: keep the finished response (body
  // and its ETag) so a repeat costs no search, no serialising and no hashing. Cleared with the index.
  const responses = new LRUCache<string, { body: string; etag: string }>({ max: 2000 });
  let responsesFor = deps.faq.current();

  const apiSearch: RequestHandler = (req, res) => {
    const { q, limit, mode } = parseOrThrow(searchQuerySchema, req.query, searchMessages);
    const faq = deps.faq.current();
    if (faq !== responsesFor) {
      responses.clear();
      responsesFor = faq;
    }
    const key = `${mode}|${limit}|${q}`;
    let response = responses.get(key);
    if (!response) {
      const body = JSON.stringify({ query: q, results: faq.search(q, { limit, mode }) });
      response = { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
      responses.set(key, response);
    }
    res.set('ETag', response.etag).type('application/json').send(response.body);
  };

  const apiAnswer: RequestHandler = (req, res) => {
    const answer = answerOr404(String(req.params.id));
    res.json({
      id: answer.id,
      title: answer.title,
      category: answer.category,
      html: answer.html,
      related: deps.faq.current().related(answer.id),
    });
  };

  const page: RequestHandler = (req, res) => {
    const parsed = searchQuerySchema.safeParse(req.query);
    const q = parsed.success ? parsed.data.q.trim() : '';
    const faq = deps.faq.current();
    res.render('faq/index', {
      title: q ? `Answers for “${q}”` : 'Answers to common questions',
      q,
      results: q ? faq.search(q, { limit: 20 }) : [],
      groups: q ? [] : faq.byCategory(FAQ_CATEGORIES),
      tooLong: !parsed.success,
    });
  };

  const answerPage: RequestHandler = async (req, res) => {
    const answer = answerOr404(String(req.params.id));
    if (fromRequest(req) && !req.query.thanks)
      await recordFaqEvent(deps.db, answer.id, 'suggestion_opened', deps.now().toISOString());
    res.render('faq/answer', {
      title: answer.title,
      answer,
      related: deps.faq.current().related(answer.id),
      fromRequest: fromRequest(req),
      thanks: req.query.thanks === 'yes' ? 'yes' : req.query.thanks === 'no' ? 'no' : null,
    });
  };

  const feedback: RequestHandler = async (req, res) => {
    const answer = answerOr404(String(req.params.id));
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

  return { apiSearch, apiAnswer, page, answerPage, feedback };
}

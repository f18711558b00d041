import type { Request, Response } from 'express';
import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import { maskPrivateData } from '../privacy/mask';
import { addAnswerCounts, addSearchCounts, type AnswerCount, type SearchCount } from './faq-usage.repository';

// How often a process adds what it counted to the database; what a crash loses is at most this much.
const FLUSH_MS = 5000;
// Distinct searches held between two writes; more, and they are written at once.
const MAX_PENDING = 20_000;
const MAX_QUERY_LENGTH = 100;

/** What the staff pages show of a search: private numbers masked, lower case, spaces tidied, 100 characters at most. */
export function storedQuery(typed: string): string {
  return maskPrivateData(typed.replace(/\s+/g, ' ').trim()).text.toLowerCase().slice(0, MAX_QUERY_LENGTH).trim();
}

/** The court's date (YYYY-MM-DD) of an instant. */
function courtDay(timezone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  let cached = { second: -1, day: '' };
  return (at) => {
    const second = Math.floor(at.getTime() / 1000);
    if (second !== cached.second) cached = { second, day: format.format(at) };
    return cached.day;
  };
}

/**
 * What a browser searched and read in the FAQ in the last hour, kept in a cookie of its own: when it
 * then sends a request through the form, those searches and answers count as followed by a request.
 * A cookie rather than the server's memory, so that it works whichever process serves each page. It
 * holds the searches already masked.
 */
interface Trail {
  searches: Array<[query: string, day: string]>;
  answers: Array<[id: string, day: string]>;
}

export const TRAIL_COOKIE = 'hd_faq_trail';
const TRAIL_MAX = 5;
const TRAIL_MAX_AGE_MS = 3600_000;

function readTrail(req: Request): Trail {
  const raw = (req.cookies as Record<string, string> | undefined)?.[TRAIL_COOKIE];
  if (!raw) return { searches: [], answers: [] };
  try {
    const data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Trail>;
    const pairs = (list: unknown) =>
      (Array.isArray(list) ? list : [])
        .filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string')
        .map(([a, b]): [string, string] => [a.slice(0, MAX_QUERY_LENGTH), b.slice(0, 10)])
        .slice(-TRAIL_MAX);
    return { searches: pairs(data.searches), answers: pairs(data.answers) };
  } catch {
    return { searches: [], answers: [] };
  }
}

function writeTrail(res: Response, trail: Trail, secure: boolean): void {
  const value = Buffer.from(JSON.stringify(trail)).toString('base64url');
  res.cookie(TRAIL_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: TRAIL_MAX_AGE_MS });
}

function addTo(list: Array<[string, string]>, entry: [string, string]): Array<[string, string]> {
  return [...list.filter(([value]) => value !== entry[0]), entry].slice(-TRAIL_MAX);
}

/**
 * FAQ usage for staff (SPEC §11): searches per day (masked, with how many found nothing and how many
 * were followed by a request), answer views and requests sent after reading an answer. Counts gather
 * in memory and are written every few seconds in one upsert, so a search costs no database write.
 */
export function createFaqUsage(deps: { db: Db; timezone: string; secure?: boolean; now?: () => Date; log?: Logger }) {
  const now = deps.now ?? (() => new Date());
  const dayOf = courtDay(deps.timezone);
  const secure = deps.secure ?? false;
  // Keyed by day and the search as typed (spaces tidied): masked once per write, not per search.
  let searches = new Map<string, SearchCount>();
  let answers = new Map<string, AnswerCount>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  function schedule() {
    if (searches.size >= MAX_PENDING) void flush();
    else if (!timer && !closed) {
      timer = setTimeout(() => void flush(), FLUSH_MS);
      timer.unref();
    }
  }

  function countSearch(day: string, typed: string, add: Partial<Omit<SearchCount, 'day' | 'query'>>) {
    const key = `${day}\u0000${typed}`;
    let entry = searches.get(key);
    if (!entry) {
      entry = { day, query: typed, searches: 0, no_results: 0, followed_by_request: 0 };
      searches.set(key, entry);
    }
    entry.searches += add.searches ?? 0;
    entry.no_results += add.no_results ?? 0;
    entry.followed_by_request += add.followed_by_request ?? 0;
    schedule();
  }

  function countAnswer(day: string, id: string, add: Partial<Omit<AnswerCount, 'day' | 'answer_id'>>) {
    const key = `${day}\u0000${id}`;
    let entry = answers.get(key);
    if (!entry) {
      entry = { day, answer_id: id, views: 0, requests_followed: 0 };
      answers.set(key, entry);
    }
    entry.views += add.views ?? 0;
    entry.requests_followed += add.requests_followed ?? 0;
    schedule();
  }

  /**
   * Masks and merges what was counted (two ways of typing one search become one row), a few hundred
   * at a time with a pause between, so that thousands of new searches do not hold up requests.
   */
  async function masked(pending: Iterable<SearchCount>): Promise<SearchCount[]> {
    const merged = new Map<string, SearchCount>();
    let done = 0;
    for (const entry of pending) {
      if (++done % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
      const query = storedQuery(entry.query);
      if (!query) continue;
      const key = `${entry.day}\u0000${query}`;
      const row = merged.get(key) ?? { ...entry, query, searches: 0, no_results: 0, followed_by_request: 0 };
      row.searches += entry.searches;
      row.no_results += entry.no_results;
      row.followed_by_request += entry.followed_by_request;
      merged.set(key, row);
    }
    return [...merged.values()];
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const takenSearches = searches;
    const takenAnswers = answers;
    searches = new Map();
    answers = new Map();
    writing = writing.then(async () => {
      if (takenSearches.size === 0 && takenAnswers.size === 0) return;
      try {
        await addSearchCounts(deps.db, await masked(takenSearches.values()));
        await addAnswerCounts(deps.db, [...takenAnswers.values()]);
      } catch (error) {
        // Figures for staff are not worth failing a filer's page over; these counts are dropped.
        deps.log?.warn({ err: error }, 'could not save the FAQ usage counts');
      }
    });
    return writing;
  }

  /** A search typed by a filer (the search box, or a program asking the API), and how many answers it found. */
  function searched(typed: string, results: number): void {
    const query = typed.replace(/\s+/g, ' ').trim();
    if (!query) return;
    countSearch(dayOf(now()), query.slice(0, 300), { searches: 1, no_results: results === 0 ? 1 : 0 });
  }

  return {
    searched,

    /** A search on the /faq page: counted, and remembered in the browser's trail. */
    searchedOnPage(req: Request, res: Response, typed: string, results: number): void {
      searched(typed, results);
      const query = storedQuery(typed);
      if (!query) return;
      const trail = readTrail(req);
      writeTrail(res, { ...trail, searches: addTo(trail.searches, [query, dayOf(now())]) }, secure);
    },

    /** An answer page read by a filer: counted, and remembered in the browser's trail. */
    viewedOnPage(req: Request, res: Response, answerId: string): void {
      const day = dayOf(now());
      countAnswer(day, answerId, { views: 1 });
      const trail = readTrail(req);
      writeTrail(res, { ...trail, answers: addTo(trail.answers, [answerId, day]) }, secure);
    },

    /**
     * A request was sent through the form from this browser: the searches and answers of its trail
     * count as followed by a request, and the trail starts again.
     */
    requestSent(req: Request, res: Response): void {
      const trail = readTrail(req);
      if (trail.searches.length === 0 && trail.answers.length === 0) return;
      for (const [query, day] of trail.searches) countSearch(day, query, { followed_by_request: 1 });
      for (const [id, day] of trail.answers) countAnswer(day, id, { requests_followed: 1 });
      res.clearCookie(TRAIL_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    },

    flush,
    /** Writes what is left and counts no more in the background (the database is about to close). */
    async close(): Promise<void> {
      closed = true;
      await flush();
    },
  };
}

export type FaqUsage = ReturnType<typeof createFaqUsage>;

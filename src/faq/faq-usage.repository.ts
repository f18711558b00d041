import type { Db } from '../db/knex';

/** Counts to add for one search (masked, normalised) on one day. */
export interface SearchCount {
  day: string;
  query: string;
  searches: number;
  no_results: number;
  followed_by_request: number;
}

/** Counts to add for one answer on one day. */
export interface AnswerCount {
  day: string;
  answer_id: string;
  views: number;
  requests_followed: number;
}

const CHUNK = 100;

/** Adds the counts to the stored ones, a row created at its first count (one statement per hundred rows). */
export async function addSearchCounts(db: Db, counts: SearchCount[]): Promise<void> {
  for (let i = 0; i < counts.length; i += CHUNK)
    await db('faq_search_days')
      .insert(counts.slice(i, i + CHUNK))
      .onConflict(['day', 'query'])
      .merge({
        searches: db.raw('faq_search_days.searches + excluded.searches'),
        no_results: db.raw('faq_search_days.no_results + excluded.no_results'),
        followed_by_request: db.raw('faq_search_days.followed_by_request + excluded.followed_by_request'),
      });
}

export async function addAnswerCounts(db: Db, counts: AnswerCount[]): Promise<void> {
  for (let i = 0; i < counts.length; i += CHUNK)
    await db('faq_answer_days')
      .insert(counts.slice(i, i + CHUNK))
      .onConflict(['day', 'answer_id'])
      .merge({
        views: db.raw('faq_answer_days.views + excluded.views'),
        requests_followed: db.raw('faq_answer_days.requests_followed + excluded.requests_followed'),
      });
}

/** One search's totals over a range of days. */
export interface SearchTotals {
  query: string;
  searches: number;
  noResults: number;
  followedByRequest: number;
}

/**
 * The searches of a range of days (`from`, `to` inclusive, YYYY-MM-DD), totalled per query: the
 * `limit` with the most `by` (searches, searches without a result, or searches followed by a request).
 */
export async function searchTotals(
  db: Db,
  range: { from: string; to: string },
  by: 'searches' | 'no_results' | 'followed_by_request',
  limit: number,
): Promise<SearchTotals[]> {
  const rows = (await db('faq_search_days')
    .whereBetween('day', [range.from, range.to])
    .groupBy('query')
    .select('query')
    .sum({ searches: 'searches', no_results: 'no_results', followed_by_request: 'followed_by_request' })
    .havingRaw(`sum(??) > 0`, [by])
    .orderByRaw(`sum(??) desc, query asc`, [by])
    .limit(limit)) as Array<{ query: string; searches: unknown; no_results: unknown; followed_by_request: unknown }>;
  return rows.map((r) => ({
    query: r.query,
    searches: Number(r.searches),
    noResults: Number(r.no_results),
    followedByRequest: Number(r.followed_by_request),
  }));
}

/** All searches of a range of days: how many, how many found nothing, how many were followed by a request. */
export async function searchSummary(db: Db, range: { from: string; to: string }) {
  const row = (await db('faq_search_days')
    .whereBetween('day', [range.from, range.to])
    .sum({ searches: 'searches', no_results: 'no_results', followed_by_request: 'followed_by_request' })
    .first()) as { searches: unknown; no_results: unknown; followed_by_request: unknown } | undefined;
  return {
    searches: Number(row?.searches ?? 0),
    noResults: Number(row?.no_results ?? 0),
    followedByRequest: Number(row?.followed_by_request ?? 0),
  };
}

/** Every answer's views and the requests sent after reading it, all time. */
export async function answerTotals(db: Db): Promise<Map<string, { views: number; requestsFollowed: number }>> {
  const rows = (await db('faq_answer_days')
    .groupBy('answer_id')
    .select('answer_id')
    .sum({ views: 'views', requests_followed: 'requests_followed' })) as Array<{
    answer_id: string;
    views: unknown;
    requests_followed: unknown;
  }>;
  return new Map(rows.map((r) => [r.answer_id, { views: Number(r.views), requestsFollowed: Number(r.requests_followed) }]));
}

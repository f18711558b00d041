import type { Knex } from 'knex';
import { parseCaseNumber } from '../case-numbers/find-case-numbers';
import { dialectOf, type WordSearch } from '../db/dialect';
import { formatReference, parseReference } from '../tickets/reference';
import { tagsOfTickets } from '../tickets/ticket-labels.repository';
import type { TicketStatus } from '../tickets/ticket.types';
import { candidateLengths, correctable, nearestWords } from './search-typos';

export type QueueSort = 'newest' | 'oldest' | 'due' | 'updated';
export type QueueStatusFilter = 'active' | 'all' | TicketStatus;

export interface QueueFilters {
  status: QueueStatusFilter;
  owner: 'all' | 'mine' | 'unassigned';
  hasCaseNumber: boolean;
  flagged: boolean;
  q: string;
  sort: QueueSort;
  /** Only tickets of this topic (an FAQ category id), or with this tag. */
  topic?: string;
  tag?: string;
  /** Only active tickets whose first response is overdue, or due within the hour. */
  due?: 'overdue' | 'soon';
  after?: string; // keyset cursor
}

export interface QueueRow {
  id: number;
  reference: string;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  status: TicketStatus;
  assigneeName: string | null;
  flags: string[];
  caseNumbers: string[];
  createdAt: string;
  updatedAt: string;
  firstResponseDueAt: string | null;
  firstResponseAt: string | null;
  /** Raised by every staff change: a bulk action names the version each selected row had. */
  version: number;
  topic: string | null;
  tags: string[];
  /** Active and flagged `needs_review`: the scope guard was unsure, staff decide (listed first). */
  needsReview: boolean;
  /** Why the scope guard flagged it (read only for a request that needs review). */
  policyReasons: Array<{ rule: string; category?: string; excerpt: string }>;
}

const SORTS: Record<QueueSort, { column: string; direction: 'asc' | 'desc' }> = {
  newest: { column: 't.id', direction: 'desc' },
  oldest: { column: 't.id', direction: 'asc' },
  due: { column: 't.first_response_due_at', direction: 'asc' },
  updated: { column: 't.updated_at', direction: 'desc' },
};

interface Cursor {
  v: string | number | null;
  id: number;
  /** The page continues among the requests waiting for review (listed before the rest). */
  review?: boolean;
  /** The page starts the rest of the queue from its beginning (the review part ended a page exactly). */
  begin?: boolean;
}

export const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    return typeof parsed.id === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The words to search for, without any search syntax from input. A short last word (3 to 5 letters,
 * "exhib") is taken as the start of a word (a short range of the index); longer words match whole,
 * with the stemmer's help, which keeps a search fast however many tickets match.
 */
export function wordSearch(input: string): WordSearch | null {
  const words = input
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);
  if (words.length === 0) return null;
  const last = words[words.length - 1];
  return { words, lastIsPrefix: last.length >= 3 && last.length <= 5 };
}

type Search =
  { kind: 'none' } | { kind: 'reference'; id: number } | { kind: 'case'; number: string } | { kind: 'words'; words: WordSearch };

/** What the search box holds: a reference, a case number, or words to find in subjects and messages. */
function readSearch(q: string): Search {
  const text = q.trim();
  const reference = parseReference(text);
  if (reference) return { kind: 'reference', id: reference.id };
  const caseNumber = /\d/.test(text) ? parseCaseNumber(text) : null;
  if (caseNumber) return { kind: 'case', number: caseNumber.number };
  const words = wordSearch(text);
  return words ? { kind: 'words', words } : { kind: 'none' };
}

/** A mistyped word and the index words searched for in its place. */
export interface Correction {
  word: string;
  alternatives: string[];
}

// Index words read for one correction at most: a range of the index's word list.
const CANDIDATES = 5000;

/**
 * The words no ticket holds, each with the index words it most likely meant (a typo: "pasword" →
 * password), looked for among the words that start with its first two letters, then its first: a
 * typo in the very first letter is not corrected. A word some ticket holds is searched as typed.
 */
async function corrected(db: Knex, search: WordSearch): Promise<{ search: WordSearch; corrections: Correction[] }> {
  const dialect = dialectOf(db);
  const last = search.words.length - 1;
  const alternatives: string[][] = [];
  const corrections: Correction[] = [];
  for (const [i, typed] of search.words.entries()) {
    const word = typed.toLowerCase();
    const prefix = i === last && search.lastIsPrefix;
    alternatives.push([]);
    if (!correctable(word) || (await dialect.searchFinds(db, word, prefix))) continue;
    for (const start of [word.slice(0, 2), word.slice(0, 1)]) {
      const indexWords = await dialect.indexedWords(db, start, candidateLengths(word, prefix), CANDIDATES);
      const near = nearestWords(word, indexWords, { prefix });
      if (near.length === 0) continue;
      alternatives[i] = near;
      corrections.push({ word: typed, alternatives: near });
      break;
    }
  }
  return { search: corrections.length > 0 ? { ...search, alternatives } : search, corrections };
}

/**
 * The tickets to list: those a word search matches (the dialect's full-text search), or all, narrowed;
 * and the column that orders them by id (with a word search, the one the search reads fastest in order).
 */
async function baseQuery(
  db: Knex,
  search: Search,
  filters: QueueFilters,
): Promise<{ query: Knex.QueryBuilder; idColumn: string }> {
  if (search.kind === 'words') return dialectOf(db).ticketsMatching(db, search.words);
  // The default view, active tickets newest first, reads the partial index in order. SQLite's planner
  // prefers the (status, id) index and a sort of every active ticket unless told, which grows with
  // the number of tickets.
  const activeById =
    filters.status === 'active' &&
    filters.owner === 'all' &&
    search.kind === 'none' &&
    (filters.sort === 'newest' || filters.sort === 'oldest');
  const query: Knex.QueryBuilder = activeById
    ? dialectOf(db).tableByIndex(db, 'tickets', 't', 'tickets_active_except_outage_reports')
    : db('tickets as t');
  if (search.kind === 'reference') query.where('t.id', search.id);
  // The tickets holding the number, read from its index (as an EXISTS, SQLite walks every ticket
  // newest-first testing each).
  if (search.kind === 'case') {
    query.whereIn('t.id', db('ticket_case_numbers').select('ticket_id').where('number', search.number));
  }
  return { query, idColumn: 't.id' };
}

// Written literally, not bound, so that SQLite can see a query matches the partial indexes
// tickets_active_except_outage_reports and tickets_active_needs_review (the flag's JSON list is read as text).
const ACTIVE = "t.status IN ('new', 'open', 'waiting')";
const NEEDS_REVIEW = `t.flags LIKE '%"needs_review"%'`;
// "Due soon" is within the hour, as the queue's badges say (firstResponseState in ticket-badges.ts).
const DUE_SOON_MS = 3_600_000;
/** The end of "due within the hour" from `now` (ISO-8601). */
const soonLimit = (now: string) => new Date(Date.parse(now) + DUE_SOON_MS).toISOString();
// Active reports of outages are shown one row per outage (see status/outage-reports), not one by one.
const OUTAGE_REPORT = `t.flags LIKE '%"outage_report"%'`;

/** Which tickets a query reads: all that match, or the active ones waiting for review, or all the others. */
type Part = 'all' | 'review' | 'rest';

// Views that can hold active tickets, where those waiting for review come first.
const REVIEW_FIRST = new Set<QueueStatusFilter>(['active', 'all', 'new', 'open', 'waiting']);

/**
 * Whether the view shows active reports of outages grouped rather than listed: views that can hold
 * active requests, when staff are not searching for something in particular.
 */
export function groupsOutageReports(filters: Pick<QueueFilters, 'status' | 'q'>): boolean {
  return readSearch(filters.q).kind === 'none' && REVIEW_FIRST.has(filters.status);
}

/** Who is looking (for "mine") and when (for "overdue"), as ISO-8601. */
interface Viewer {
  me: number;
  now: string;
}

/** The rows of one part of the queue, in the chosen order, after `cursor`, at most `limit`. */
async function selectRows(
  db: Knex,
  search: Search,
  filters: QueueFilters,
  viewer: Viewer,
  part: Part,
  cursor: Cursor | undefined,
  limit: number,
): Promise<Array<Record<string, unknown>>> {
  const sort = SORTS[filters.sort];
  // The few requests waiting for review are read from their own small index, in order.
  const { query: base, idColumn } =
    part === 'review'
      ? { query: dialectOf(db).tableByIndex(db, 'tickets', 't', 'tickets_active_needs_review'), idColumn: 't.id' }
      : await baseQuery(db, search, filters);
  const query = base
    .leftJoin('staff_users as u', 'u.id', 't.assignee_id')
    .select(
      't.id',
      't.reference_year',
      't.subject',
      't.requester_name',
      't.requester_email',
      't.status',
      't.flags',
      't.created_at',
      't.updated_at',
      't.first_response_due_at',
      't.first_response_at',
      't.policy_reasons',
      't.version',
      't.topic',
      'u.name as assignee_name',
    )
    .whereNull('t.merged_into_id');
  if (filters.status === 'active') query.whereRaw(ACTIVE);
  else if (filters.status !== 'all') query.where('t.status', filters.status);
  if (part === 'review') query.whereRaw(`${ACTIVE} AND ${NEEDS_REVIEW}`);
  if (part === 'rest') query.whereRaw(`NOT (${ACTIVE} AND ${NEEDS_REVIEW})`);
  if (groupsOutageReports(filters)) {
    if (filters.status === 'all') query.whereRaw(`NOT (${ACTIVE} AND ${OUTAGE_REPORT})`);
    else query.whereRaw(`t.flags NOT LIKE '%"outage_report"%'`);
  }
  if (filters.owner === 'mine') query.where('t.assignee_id', viewer.me);
  if (filters.owner === 'unassigned') query.whereNull('t.assignee_id');
  if (filters.hasCaseNumber) query.whereExists(db('ticket_case_numbers as c').whereRaw('c.ticket_id = t.id'));
  if (filters.flagged) query.whereNot('t.flags', '[]');
  if (filters.topic) query.where('t.topic', filters.topic);
  // The tagged tickets from the tag's index (as a case number's are).
  if (filters.tag) query.whereIn('t.id', db('ticket_tags').select('ticket_id').where('tag', filters.tag));
  if (filters.due) {
    query.whereRaw(ACTIVE).whereNull('t.first_response_at');
    if (filters.due === 'overdue') query.where('t.first_response_due_at', '<', viewer.now);
    else query.where('t.first_response_due_at', '>=', viewer.now).andWhere('t.first_response_due_at', '<', soonLimit(viewer.now));
  }

  if (cursor) {
    const op = sort.direction === 'desc' ? '<' : '>';
    if (sort.column === 't.id') query.where(idColumn, op, cursor.id);
    else
      query.where((w) =>
        w
          .where(sort.column, op, cursor.v as string)
          .orWhere((x) => x.where(sort.column, cursor.v as string).andWhere('t.id', op, cursor.id)),
      );
  }
  // Every ticket gets its due time when created; one without (merged, imported) has no place in that order.
  if (filters.sort === 'due') query.whereNotNull('t.first_response_due_at');
  if (sort.column !== 't.id') query.orderBy(sort.column, sort.direction);
  query.orderBy(sort.column === 't.id' ? idColumn : 't.id', sort.direction).limit(limit);
  return (await query) as Array<Record<string, unknown>>;
}

/**
 * One page of the queue, keyset-paginated (no OFFSET: the hundredth page costs what the first does).
 * Active requests waiting for review come first (SPEC §8), each part in the chosen order, except in a
 * search, where staff look for something in particular.
 */
export async function listQueue(
  db: Knex,
  filters: QueueFilters,
  viewer: { me: number; now: Date },
  pageSize = 50,
): Promise<{ rows: QueueRow[]; next?: string; corrections: Correction[] }> {
  const sort = SORTS[filters.sort];
  let search = readSearch(filters.q);
  let corrections: Correction[] = [];
  if (search.kind === 'words') {
    const checked = await corrected(db, search.words);
    search = { kind: 'words', words: checked.search };
    corrections = checked.corrections;
  }
  const at = { me: viewer.me, now: viewer.now.toISOString() };
  const cursor = decodeCursor(filters.after);
  const reviewFirst = search.kind === 'none' && REVIEW_FIRST.has(filters.status);
  const parts: Part[] = !reviewFirst ? ['all'] : cursor && !cursor.review ? ['rest'] : ['review', 'rest'];
  const sortKey = sort.column.replace('t.', '');
  const page: Array<Record<string, unknown>> = [];
  let next: Cursor | undefined;
  for (const [i, part] of parts.entries()) {
    const want = pageSize - page.length;
    const after = i === 0 && !cursor?.begin ? cursor : undefined;
    const rows = await selectRows(db, search, filters, at, part, after, want + 1);
    if (rows.length > want) {
      page.push(...rows.slice(0, want));
      const last = page[page.length - 1];
      next =
        want === 0
          ? { v: null, id: 0, begin: true }
          : {
              v: sort.column === 't.id' ? null : (last[sortKey] as string | null),
              id: last.id as number,
              ...(part === 'review' ? { review: true } : {}),
            };
      break;
    }
    page.push(...rows);
  }

  const ids = page.map((r) => r.id as number);
  const [caseRows, tags] = ids.length
    ? await Promise.all([
        db('ticket_case_numbers').whereIn('ticket_id', ids).select('ticket_id', 'number') as Promise<
          Array<{ ticket_id: number; number: string }>
        >,
        tagsOfTickets(db, ids),
      ])
    : [[], new Map<number, string[]>()];
  const rows: QueueRow[] = page.map((r) => ({
    id: r.id as number,
    reference: formatReference(r.reference_year as number, r.id as number),
    subject: r.subject as string,
    requesterName: r.requester_name as string,
    requesterEmail: r.requester_email as string,
    status: r.status as TicketStatus,
    assigneeName: (r.assignee_name as string | null) ?? null,
    flags: JSON.parse(r.flags as string) as string[],
    caseNumbers: caseRows.filter((c) => c.ticket_id === r.id).map((c) => c.number),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    firstResponseDueAt: (r.first_response_due_at as string | null) ?? null,
    firstResponseAt: (r.first_response_at as string | null) ?? null,
    version: Number(r.version),
    topic: (r.topic as string | null) ?? null,
    tags: tags.get(r.id as number) ?? [],
    ...reviewOf(r),
  }));
  return { rows, next: next && encodeCursor(next), corrections };
}

/** Whether a listed ticket waits for review, and the reasons the scope guard gave. */
function reviewOf(r: Record<string, unknown>): Pick<QueueRow, 'needsReview' | 'policyReasons'> {
  const needsReview =
    ['new', 'open', 'waiting'].includes(r.status as string) &&
    (JSON.parse(r.flags as string) as string[]).includes('needs_review');
  return {
    needsReview,
    policyReasons: needsReview ? (JSON.parse((r.policy_reasons as string | null) ?? '[]') as QueueRow['policyReasons']) : [],
  };
}

const COUNTS_FRESH_MS = 10_000;
const countsCache = new WeakMap<Knex, { at: number; counts: Promise<Record<string, number>> }>();

/**
 * Tickets per status for the queue header, counted over the (status, id) index and kept for ten
 * seconds, so the header costs nothing on most page views and the intake path carries no counting
 * trigger. `fresh` counts again at once (after a staff change).
 */
export function statusCounts(db: Knex, now = Date.now(), fresh = false): Promise<Record<string, number>> {
  const cached = countsCache.get(db);
  if (cached && !fresh && now - cached.at < COUNTS_FRESH_MS) return cached.counts;
  const counts = (async () => {
    // Index-only (merged duplicates, which are closed, count as closed): a filter on merged_into_id
    // would read every row.
    const rows = (await db('tickets').select('status').count({ n: '*' }).groupBy('status')) as Array<{
      status: string;
      n: number | string;
    }>;
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  })();
  countsCache.set(db, { at: now, counts });
  counts.catch(() => countsCache.delete(db));
  return counts;
}

const dueCache = new WeakMap<Knex, { at: number; counts: Promise<DueCounts> }>();

/** Active tickets still waiting for a first response: past their target, and due within the hour. */
export interface DueCounts {
  overdue: number;
  soon: number;
}

/**
 * How many active tickets are overdue and due soon, for the top of the queue: read from the index of
 * active tickets (the open work, however long the history) and kept ten seconds, as the status counts.
 */
export function dueCounts(db: Knex, now: Date, fresh = false): Promise<DueCounts> {
  const cached = dueCache.get(db);
  if (cached && !fresh && now.getTime() - cached.at < COUNTS_FRESH_MS) return cached.counts;
  const at = now.toISOString();
  const counts = (async () => {
    const [row] = (await dialectOf(db)
      .tableByIndex(db, 'tickets', 't', 'tickets_active_id')
      .whereRaw(ACTIVE)
      .whereNull('t.first_response_at')
      .whereNull('t.merged_into_id')
      .where('t.first_response_due_at', '<', soonLimit(at))
      .select(
        db.raw('sum(CASE WHEN t.first_response_due_at < ? THEN 1 ELSE 0 END) AS overdue', [at]),
        db.raw('count(*) AS due'),
      )) as Array<{
      overdue: number | string | null;
      due: number | string;
    }>;
    const overdue = Number(row?.overdue ?? 0);
    return { overdue, soon: Number(row?.due ?? 0) - overdue };
  })();
  dueCache.set(db, { at: now.getTime(), counts });
  counts.catch(() => dueCache.delete(db));
  return counts;
}

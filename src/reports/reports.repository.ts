import type { Knex } from 'knex';
import type { Db } from '../db/knex';

/** What a report is narrowed to: one topic (an FAQ category), one tag, or both. */
export interface ReportFilters {
  topic?: string;
  tag?: string;
}

/** The instants a report counts between (UTC ISO, as stored): the start of its first day, the end of its last. */
export interface Span {
  startsAt: string;
  endsAt: string;
}

export const CHANNELS = ['web', 'email', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

// Written literally, as in the migration 20261203201000_index_tickets_for_reports, so that both
// databases see that the partial indexes tickets_reports_flagged and tickets_reports_outage hold
// every row asked for.
const FLAGGED = `t.flags <> '[]'`;
const hasFlag = (flag: string) => `t.flags LIKE '%"${flag}"%'`;
const OUTAGE_REPORT = hasFlag('outage_report');

/**
 * The filters as SQL on tickets `t`, to append to a WHERE clause. The tag is looked up once for the
 * whole statement (IN), or for each row with `perRow` (EXISTS), where the rows are few and the
 * statement reads a slot at a time.
 */
function ticketFilters(filters: ReportFilters, options: { perRow?: boolean } = {}): { sql: string; bindings: string[] } {
  let sql = '';
  const bindings: string[] = [];
  if (filters.topic !== undefined) {
    sql += ' AND t.topic = ?';
    bindings.push(filters.topic);
  }
  if (filters.tag !== undefined) {
    sql += options.perRow
      ? ' AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = ?)'
      : ' AND t.id IN (SELECT g.ticket_id FROM ticket_tags g WHERE g.tag = ?)';
    bindings.push(filters.tag);
  }
  return { sql, bindings };
}

/** Requests received in one slot of time, by channel. */
export interface SlotCount {
  startsAt: string;
  received: Record<Channel, number>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The starts and ends of the slots of a UTC day, HH:MM: 00:00–01:00 … 23:00–00:00 (the last wraps to
 * the next day). Written into the SQL as they are: they come from numbers, never from input.
 */
function slotsOfDay(minutes: number): Array<[starts: string, ends: string, wraps: number]> {
  const slots: Array<[string, string, number]> = [];
  for (let m = 0; m < 1440; m += minutes) {
    const end = (m + minutes) % 1440;
    slots.push([`${pad(Math.floor(m / 60))}:${pad(m % 60)}`, `${pad(Math.floor(end / 60))}:${pad(end % 60)}`, end === 0 ? 1 : 0]);
  }
  return slots;
}

/** The UTC dates (and the date after each) that the span touches. */
function utcDates(span: Span): Array<[string, string]> {
  const dates: Array<[string, string]> = [];
  const last = span.endsAt.slice(0, 10);
  for (let day = Date.parse(`${span.startsAt.slice(0, 10)}T00:00:00Z`); ; day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    dates.push([date, new Date(day + 86_400_000).toISOString().slice(0, 10)]);
    if (date >= last) break;
  }
  return dates;
}

/**
 * The slots of `minutes` that make up the span, as a WITH clause naming `buckets(starts_at, ends_at)`:
 * written out by the database from the UTC dates and the times of a day, in the form instants are
 * stored in, so that a year of hours needs 731 bound dates, not 17,520 bound instants.
 */
function bucketsOf(span: Span, minutes: number): { sql: string; bindings: string[] } {
  const dates = utcDates(span);
  const slots = slotsOfDay(minutes);
  return {
    sql: `WITH dates(day, next_day) AS (VALUES ${dates.map(() => '(?, ?)').join(', ')}),
    slots(starts, ends, wraps) AS (VALUES ${slots.map(([starts, ends, wraps]) => `('${starts}', '${ends}', ${wraps})`).join(', ')}),
    buckets(starts_at, ends_at) AS (
      SELECT dates.day || 'T' || slots.starts || ':00.000Z',
        CASE WHEN slots.wraps = 1 THEN dates.next_day ELSE dates.day END || 'T' || slots.ends || ':00.000Z'
      FROM dates CROSS JOIN slots)`,
    bindings: dates.flat(),
  };
}

/**
 * Requests received in each slot of `minutes` of the span, by channel. Each count is one short read of
 * the index tickets_reports_channel, so no row is sorted or grouped. The caller places each slot on
 * the court's clock: slots are short enough to start every hour of the court's day.
 */
export async function countsBySlot(db: Db, span: Span, minutes: number, filters: ReportFilters): Promise<SlotCount[]> {
  if (filters.tag !== undefined) return taggedCountsBySlot(db, span, minutes, filters.tag, filters.topic);
  const buckets = bucketsOf(span, minutes);
  const filter = ticketFilters(filters);
  const count = (channel: Channel) =>
    `(SELECT count(*) FROM tickets t WHERE t.channel = '${channel}' AND t.created_at >= b.starts_at AND t.created_at < b.ends_at${filter.sql}) AS received_${channel}`;
  const rows = rowsOf(
    await db.raw(
      `${buckets.sql}
      SELECT b.starts_at, ${CHANNELS.map(count).join(', ')}
      FROM buckets b WHERE b.starts_at >= ? AND b.ends_at <= ? ORDER BY b.starts_at`,
      [...buckets.bindings, ...CHANNELS.flatMap(() => filter.bindings), span.startsAt, span.endsAt],
    ),
  );
  return rows.map((r) => ({
    startsAt: String(r.starts_at),
    received: { web: Number(r.received_web), email: Number(r.received_email), api: Number(r.received_api) },
  }));
}

/**
 * Outage reports received on each of `days` (court days and the instants they start and end), by
 * channel: a few among all requests, each count one short read of the index tickets_reports_outage.
 */
export async function outageReportsByDay(
  db: Db,
  days: ReadonlyArray<{ date: string; startsAt: string; endsAt: string }>,
  filters: ReportFilters,
): Promise<Map<string, Record<Channel, number>>> {
  if (days.length === 0) return new Map();
  const filter = ticketFilters(filters, { perRow: true });
  const count = (channel: Channel) =>
    `(SELECT count(*) FROM tickets t WHERE ${OUTAGE_REPORT} AND t.channel = '${channel}' AND t.created_at >= d.starts_at AND t.created_at < d.ends_at${filter.sql}) AS ${channel}`;
  const rows = rowsOf(
    await db.raw(
      `WITH days(day, starts_at, ends_at) AS (VALUES ${days.map(() => '(?, ?, ?)').join(', ')})
      SELECT d.day, ${CHANNELS.map(count).join(', ')} FROM days d`,
      [...days.flatMap((d) => [d.date, d.startsAt, d.endsAt]), ...CHANNELS.flatMap(() => filter.bindings)],
    ),
  );
  return new Map(rows.map((r) => [String(r.day), { web: Number(r.web), email: Number(r.email), api: Number(r.api) }]));
}

/** The start of the slot of `minutes` that holds the instant in `column`, as SQL written from its text. */
function slotOf(column: string, minutes: number): string {
  if (minutes === 60) return `substr(${column}, 1, 13) || ':00:00.000Z'`;
  const starts = Array.from({ length: 60 / minutes - 1 }, (_, k) => pad((k + 1) * minutes)).reverse();
  const minute = `substr(${column}, 15, 2)`;
  return `substr(${column}, 1, 14) || CASE ${starts.map((m) => `WHEN ${minute} >= '${m}' THEN '${m}'`).join(' ')} ELSE '00' END || ':00.000Z'`;
}

/**
 * countsBySlot for the requests with one tag: read from the tag's index, a share of all requests, and
 * grouped by slot. (A read per slot would look the tag up again in each of thousands of slots.)
 */
async function taggedCountsBySlot(db: Db, span: Span, minutes: number, tag: string, topic?: string): Promise<SlotCount[]> {
  const rows = rowsOf(
    await db.raw(
      `SELECT ${slotOf('t.created_at', minutes)} AS slot_start, t.channel, count(*) AS received
      FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id
      WHERE g.tag = ? AND t.created_at >= ? AND t.created_at < ?${topic === undefined ? '' : ' AND t.topic = ?'}
      GROUP BY slot_start, t.channel`,
      [tag, span.startsAt, span.endsAt, ...(topic === undefined ? [] : [topic])],
    ),
  );
  const slots = new Map<string, SlotCount>();
  for (const r of rows) {
    const channel = String(r.channel);
    if (!(CHANNELS as readonly string[]).includes(channel)) continue;
    const key = String(r.slot_start);
    const slot = slots.get(key) ?? { startsAt: key, received: { web: 0, email: 0, api: 0 } };
    slot.received[channel as Channel] += Number(r.received);
    slots.set(key, slot);
  }
  return [...slots.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** knex.raw answers rows on SQLite and `{rows}` on PostgreSQL. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result)
    ? (result as Array<Record<string, unknown>>)
    : ((result as { rows: Array<Record<string, unknown>> }).rows ?? []);
}

/** Figures over every request received in the span, and the instants the medians are measured from. */
export interface ReceivedFigures {
  requests: number;
  /** Requests with a first-response target (a refused request has none). */
  withTarget: number;
  answered: number;
  answeredInTime: number;
  /** Not answered yet and past the target at `now`. */
  overdue: number;
  /** Resolved or closed now (by staff, or by the filer saying it is solved), merged duplicates left out. */
  resolved: number;
  /** Of those, resolved within the resolution target. */
  resolvedInTime: number;
  merged: number;
  /** For each answered request with a target: when it arrived and when it was first answered (ms, in pairs). */
  firstReplies: Float64Array;
  /**
   * For each resolved request, the business hours it took, not counting time waiting for the filer
   * (stored when it was resolved: src/tickets/resolution-clock.ts).
   */
  resolutionHours: Float64Array;
}

const ANSWERED = 't.first_response_due_at IS NOT NULL AND t.first_response_at IS NOT NULL';

/**
 * One read of the requests received in the span, from the index tickets_reports_received alone. The
 * instants behind the medians come back as texts, the stored ISO instants end to end: a year of a busy
 * court is half a million pairs, which as rows would take longer to hand over than the whole report
 * may take. The two texts of a measure take the same rows (one filter) in the same order, none empty.
 * Business hours between the instants are counted by the court's calendar in the service, the one
 * place that knows it.
 */
export async function receivedFigures(
  db: Db,
  span: Span,
  now: string,
  resolutionTargetHours: number,
  filters: ReportFilters,
): Promise<ReceivedFigures> {
  const filter = ticketFilters(filters);
  const row = rowsOf(
    await db.raw(
      `SELECT count(*) AS requests,
        count(t.first_response_due_at) AS with_target,
        sum(CASE WHEN ${ANSWERED} THEN 1 ELSE 0 END) AS answered,
        sum(CASE WHEN t.first_response_at <= t.first_response_due_at THEN 1 ELSE 0 END) AS answered_in_time,
        sum(CASE WHEN t.first_response_at IS NULL AND t.first_response_due_at < ? THEN 1 ELSE 0 END) AS overdue,
        count(t.resolution_business_hours) AS resolved,
        sum(CASE WHEN t.resolution_business_hours <= ? THEN 1 ELSE 0 END) AS resolved_in_time,
        sum(CASE WHEN t.merged_into_id IS NOT NULL THEN 1 ELSE 0 END) AS merged,
        string_agg(t.created_at, '') FILTER (WHERE ${ANSWERED}) AS answered_from,
        string_agg(t.first_response_at, '') FILTER (WHERE ${ANSWERED}) AS answered_at,
        string_agg(CAST(CAST(round(t.resolution_business_hours * 100) AS INTEGER) AS TEXT), ',') AS resolution_hundredths
      FROM tickets t WHERE t.created_at >= ? AND t.created_at < ?${filter.sql}`,
      [now, resolutionTargetHours, span.startsAt, span.endsAt, ...filter.bindings],
    ),
  )[0];
  const n = (key: string) => Number(row?.[key] ?? 0);
  return {
    requests: n('requests'),
    withTarget: n('with_target'),
    answered: n('answered'),
    answeredInTime: n('answered_in_time'),
    overdue: n('overdue'),
    resolved: n('resolved'),
    resolvedInTime: n('resolved_in_time'),
    merged: n('merged'),
    firstReplies: pairsOf(row?.answered_from, row?.answered_at),
    resolutionHours: hoursOfHundredths(row?.resolution_hundredths),
  };
}

/**
 * Hours from whole hundredths written with commas between them, as string_agg gives them (stored
 * hours are to the hundredth). Read digit by digit: half a million numbers split into strings first
 * would take longer than the query.
 */
function hoursOfHundredths(text: unknown): Float64Array {
  const written = String(text ?? '');
  if (written === '') return new Float64Array(0);
  const hours = new Float64Array(written.length / 2 + 1);
  let count = 0;
  let value = 0;
  for (let i = 0; i < written.length; i += 1) {
    const code = written.charCodeAt(i);
    if (code === 44) {
      hours[count++] = value / 100;
      value = 0;
    } else value = value * 10 + (code - 48);
  }
  hours[count++] = value / 100;
  return hours.subarray(0, count);
}

/** Two texts of instants end to end, as pairs of milliseconds (start, end, start, end…). */
function pairsOf(startsText: unknown, endsText: unknown): Float64Array {
  const starts = String(startsText ?? '');
  const ends = String(endsText ?? '');
  // Every stored instant has at least 20 characters (…T17:05:00Z).
  const pairs = new Float64Array(2 * Math.floor(starts.length / 20));
  const count = readInstants(starts, pairs, 0);
  if (readInstants(ends, pairs, 1) !== count) throw new Error('the starts and ends of a measure differ in number');
  return pairs.subarray(0, 2 * count);
}

const number = (text: string, at: number, length: number) => {
  let value = 0;
  for (let k = 0; k < length; k += 1) value = value * 10 + text.charCodeAt(at + k) - 48;
  return value;
};

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil): Date.UTC costs more, a million times over. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * Reads instants written end to end as stored (2026-03-08T17:05:00.000Z…, each ending in Z) into
 * `out` as milliseconds, every other place from `first` (0 and 1: interleaved as pairs); returns how
 * many it read.
 */
export function readInstants(text: string, out: Float64Array, first = 0): number {
  let count = 0;
  let lastDate = -1;
  let lastDays = 0;
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('Z', at);
    if (end < 0) break;
    const date = number(text, at, 4) * 10_000 + number(text, at + 5, 2) * 100 + number(text, at + 8, 2);
    if (date !== lastDate) {
      lastDate = date;
      lastDays = daysFromCivil(Math.floor(date / 10_000), Math.floor(date / 100) % 100, date % 100);
    }
    const seconds = number(text, at + 11, 2) * 3600 + number(text, at + 14, 2) * 60 + number(text, at + 17, 2);
    const digits = Math.min(end - at - 20, 3); // after the seconds' point, if any
    const millis = digits > 0 ? number(text, at + 20, digits) * 10 ** (3 - digits) : 0;
    out[first + 2 * count] = lastDays * 86_400_000 + seconds * 1000 + millis;
    count += 1;
    at = end + 1;
  }
  return count;
}

/** Requests received in the span with each of `topics`, and with none (key null). */
export async function countsByTopic(
  db: Db,
  span: Span,
  topics: readonly string[],
  filters: ReportFilters,
): Promise<Map<string | null, number>> {
  const filter = ticketFilters(filters);
  const named = topics.length
    ? rowsOf(
        await db.raw(
          `SELECT t.topic, count(*) AS requests FROM tickets t
          WHERE t.topic IN (${topics.map(() => '?').join(', ')}) AND t.created_at >= ? AND t.created_at < ?${filter.sql}
          GROUP BY t.topic`,
          [...topics, span.startsAt, span.endsAt, ...filter.bindings],
        ),
      )
    : [];
  const none = rowsOf(
    await db.raw(
      `SELECT count(*) AS requests FROM tickets t WHERE t.topic IS NULL AND t.created_at >= ? AND t.created_at < ?${filter.sql}`,
      [span.startsAt, span.endsAt, ...filter.bindings],
    ),
  );
  const counts = new Map<string | null, number>(named.map((r) => [String(r.topic), Number(r.requests)]));
  counts.set(null, Number(none[0]?.requests ?? 0));
  return counts;
}

/** Refusals, review flags and outage reports among the requests received in the span. */
export interface FlagCounts {
  refusedLegalAdvice: number;
  refusedJudgeContact: number;
  acceptedLegalAdvice: number;
  acceptedJudgeContact: number;
  needsReview: number;
  reviewRequested: number;
  outageReports: number;
}

/** Counts the flags of requests received in the span, reading only flagged requests (index tickets_reports_flagged). */
export async function flagCounts(db: Db, span: Span, filters: ReportFilters): Promise<FlagCounts> {
  const filter = ticketFilters(filters);
  const from = db('tickets as t');
  const sum = (condition: string) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const row = (await from
    .select(
      db.raw(
        [
          `${sum(`t.status = 'rejected' AND ${hasFlag('legal_advice')}`)} AS refused_legal_advice`,
          `${sum(`t.status = 'rejected' AND ${hasFlag('judge_contact')}`)} AS refused_judge_contact`,
          `${sum(`t.status <> 'rejected' AND ${hasFlag('legal_advice')}`)} AS accepted_legal_advice`,
          `${sum(`t.status <> 'rejected' AND ${hasFlag('judge_contact')}`)} AS accepted_judge_contact`,
          `${sum(hasFlag('needs_review'))} AS needs_review`,
          `${sum(hasFlag('review_requested'))} AS review_requested`,
          `${sum(OUTAGE_REPORT)} AS outage_reports`,
        ].join(', '),
      ),
    )
    .whereRaw(`${FLAGGED} AND t.created_at >= ? AND t.created_at < ?${filter.sql}`, [
      span.startsAt,
      span.endsAt,
      ...filter.bindings,
    ])
    .first()) as Record<string, unknown> | undefined;
  const n = (key: string) => Number(row?.[key] ?? 0);
  return {
    refusedLegalAdvice: n('refused_legal_advice'),
    refusedJudgeContact: n('refused_judge_contact'),
    acceptedLegalAdvice: n('accepted_legal_advice'),
    acceptedJudgeContact: n('accepted_judge_contact'),
    needsReview: n('needs_review'),
    reviewRequested: n('review_requested'),
    outageReports: n('outage_reports'),
  };
}

/** Callbacks booked in the span and what became of them. */
export interface CallbackCounts {
  booked: number;
  completed: number;
  /** Calls that went unanswered at least once (then moved to a later time, or given up). */
  noAnswer: number;
  unreachable: number;
  cancelled: number;
  /** Still booked, the call time not yet come. */
  upcoming: number;
  /** Still booked, the call time past, no outcome recorded yet. */
  awaitingOutcome: number;
}

/** Callbacks booked in the span (by when the filer booked them); with a filter, those whose request matches it. */
export async function callbackCounts(db: Db, span: Span, now: string, filters: ReportFilters): Promise<CallbackCounts> {
  const filter = ticketFilters(filters);
  const sum = (condition: string) => db.raw(`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`);
  const query = db('callbacks as c')
    .where('c.created_at', '>=', span.startsAt)
    .andWhere('c.created_at', '<', span.endsAt)
    .select({
      booked: db.raw('count(*)'),
      completed: sum(`c.status = 'completed'`),
      no_answer: sum('c.attempts > 0'),
      unreachable: sum(`c.status = 'unreachable'`),
      cancelled: sum(`c.status = 'cancelled'`),
      upcoming: db.raw(`sum(CASE WHEN c.status IN ('booked', 'no_answer') AND c.slot_start >= ? THEN 1 ELSE 0 END)`, [now]),
      awaiting: db.raw(`sum(CASE WHEN c.status IN ('booked', 'no_answer') AND c.slot_start < ? THEN 1 ELSE 0 END)`, [now]),
    });
  if (filter.sql) query.whereRaw(`c.ticket_id IN (SELECT t.id FROM tickets t WHERE 1 = 1${filter.sql})`, filter.bindings);
  const row = (await query.first()) as Record<string, unknown> | undefined;
  const n = (key: string) => Number(row?.[key] ?? 0);
  return {
    booked: n('booked'),
    completed: n('completed'),
    noAnswer: n('no_answer'),
    unreachable: n('unreachable'),
    cancelled: n('cancelled'),
    upcoming: n('upcoming'),
    awaitingOutcome: n('awaiting'),
  };
}

/** FAQ use on one court day: answer pages read, and how many of those readings a request followed. */
export interface FaqDay {
  date: string;
  views: number;
  followed: number;
}

/** Answer readings per court day (YYYY-MM-DD, inclusive), as src/faq/faq-usage.ts counts them. */
export async function faqDays(db: Db, from: string, to: string): Promise<FaqDay[]> {
  const rows = (await db('faq_answer_days')
    .whereBetween('day', [from, to])
    .groupBy('day')
    .orderBy('day')
    .select('day')
    .sum({ views: 'views', followed: 'requests_followed' })) as Array<{ day: string; views: unknown; followed: unknown }>;
  return rows.map((r) => ({ date: r.day, views: Number(r.views), followed: Number(r.followed) }));
}

/** Searches typed into the FAQ over court days (inclusive): how many, how many found nothing, how many a request followed. */
export async function faqSearchTotals(db: Db, from: string, to: string) {
  const row = (await db('faq_search_days')
    .whereBetween('day', [from, to])
    .sum({ searches: 'searches', no_results: 'no_results', followed: 'followed_by_request' })
    .first()) as Record<string, unknown> | undefined;
  return {
    searches: Number(row?.searches ?? 0),
    noResults: Number(row?.no_results ?? 0),
    followed: Number(row?.followed ?? 0),
  };
}

/** Whether any request carries `tag` (tags are stored lower-case). */
export async function tagExists(db: Db, tag: string): Promise<boolean> {
  return (await db('ticket_tags').where({ tag }).first('tag')) !== undefined;
}

/**
 * Tags in use, in order, at most `limit`: suggestions for the tag filter. Read by skipping from one
 * tag to the next in the tag index, one seek a tag, however many requests carry each.
 */
export async function tagsInUse(db: Db, limit: number): Promise<string[]> {
  const rows = rowsOf(
    await db.raw(
      `WITH RECURSIVE tags (tag, n) AS (
        SELECT (SELECT min(tag) FROM ticket_tags), 1
        UNION ALL
        SELECT (SELECT min(g.tag) FROM ticket_tags g WHERE g.tag > tags.tag), n + 1 FROM tags WHERE tags.tag IS NOT NULL AND n < ?
      )
      SELECT tag FROM tags WHERE tag IS NOT NULL`,
      [limit],
    ),
  );
  return rows.map((r) => String(r.tag));
}

/** One request as the export lists it. */
export interface ExportRow {
  id: number;
  referenceYear: number;
  createdAt: string;
  channel: string;
  status: string;
  topic: string | null;
  flags: string[];
  firstResponseDueAt: string | null;
  firstResponseAt: string | null;
  closedAt: string | null;
  /** Business hours it took to be resolved, waiting for the filer not counted; null while not resolved. */
  resolutionBusinessHours: number | null;
  mergedIntoId: number | null;
  tags: string[];
}

/**
 * The requests received in the span in the order they came, `limit` at a time after `after` (the
 * last row of the page before): a page is one read however far into the range it is.
 */
export async function exportPage(
  db: Db,
  span: Span,
  filters: ReportFilters,
  after: { createdAt: string; id: number } | null,
  limit: number,
): Promise<ExportRow[]> {
  const filter = ticketFilters(filters);
  const query: Knex.QueryBuilder = db('tickets as t')
    .select(
      't.id',
      't.reference_year',
      't.created_at',
      't.channel',
      't.status',
      't.topic',
      't.flags',
      't.first_response_due_at',
      't.first_response_at',
      't.closed_at',
      't.resolution_business_hours',
      't.merged_into_id',
    )
    .whereRaw(`t.created_at >= ? AND t.created_at < ?${filter.sql}`, [span.startsAt, span.endsAt, ...filter.bindings])
    .orderBy([
      { column: 't.created_at', order: 'asc' },
      { column: 't.id', order: 'asc' },
    ])
    .limit(limit);
  if (after)
    query.andWhere((w) =>
      w
        .where('t.created_at', '>', after.createdAt)
        .orWhere((x) => x.where('t.created_at', after.createdAt).andWhere('t.id', '>', after.id)),
    );
  const rows = (await query) as Array<Record<string, unknown>>;
  const tags = new Map<number, string[]>();
  if (rows.length > 0) {
    const tagRows = (await db('ticket_tags')
      .whereIn(
        'ticket_id',
        rows.map((r) => Number(r.id)),
      )
      .orderBy(['ticket_id', 'tag'])
      .select('ticket_id', 'tag')) as Array<{ ticket_id: number; tag: string }>;
    for (const r of tagRows) tags.set(Number(r.ticket_id), [...(tags.get(Number(r.ticket_id)) ?? []), r.tag]);
  }
  return rows.map((r) => ({
    id: Number(r.id),
    referenceYear: Number(r.reference_year),
    createdAt: String(r.created_at),
    channel: String(r.channel),
    status: String(r.status),
    topic: (r.topic as string | null) ?? null,
    flags: JSON.parse(String(r.flags ?? '[]')) as string[],
    firstResponseDueAt: (r.first_response_due_at as string | null) ?? null,
    firstResponseAt: (r.first_response_at as string | null) ?? null,
    closedAt: (r.closed_at as string | null) ?? null,
    resolutionBusinessHours: r.resolution_business_hours === null ? null : Number(r.resolution_business_hours),
    mergedIntoId: r.merged_into_id === null || r.merged_into_id === undefined ? null : Number(r.merged_into_id),
    tags: tags.get(Number(r.id)) ?? [],
  }));
}

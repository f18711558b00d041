import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect';
import { formatReference } from '../tickets/reference';
import type { TicketStatus } from '../tickets/ticket.types';

type Q = Knex | Knex.Transaction;

/** A filer's report as stored beside its ticket. Times are ISO-8601 UTC strings. */
export interface ReportRow {
  ticket_id: number;
  outage_id: number | null;
  scope: string;
  observed_at: string | null;
  received_at: string;
  receipt_token_hash: string;
}

export async function insertReports(q: Q, rows: ReportRow[]): Promise<void> {
  // Rows per statement, well under SQLite's limit on bound variables.
  for (let i = 0; i < rows.length; i += 100) await q('outage_reports').insert(rows.slice(i, i + 100));
}

/** What a receipt shows, read from the report and its ticket. */
export interface ReceiptRow {
  reference: string;
  requesterName: string;
  scope: string;
  outageId: number | null;
  observedAt: string | null;
  receivedAt: string;
  description: string;
  caseNumbers: string[];
}

/** The report whose receipt token has this hash, with its ticket's reference, name, first message and case numbers. */
export async function findReceipt(q: Q, tokenHash: string): Promise<ReceiptRow | undefined> {
  const row = (await q('outage_reports as r')
    .join('tickets as t', 't.id', 'r.ticket_id')
    .where('r.receipt_token_hash', tokenHash)
    .first('r.ticket_id', 'r.outage_id', 'r.scope', 'r.observed_at', 'r.received_at', 't.reference_year', 't.requester_name')) as
    | {
        ticket_id: number;
        outage_id: number | null;
        scope: string;
        observed_at: string | null;
        received_at: string;
        reference_year: number;
        requester_name: string;
      }
    | undefined;
  if (!row) return undefined;
  const [first, cases] = await Promise.all([
    q('ticket_messages')
      .where({ ticket_id: row.ticket_id, direction: 'in', author: 'requester', internal: false })
      .orderBy('id')
      .first('body_text') as Promise<{ body_text: string } | undefined>,
    q('ticket_case_numbers').where({ ticket_id: row.ticket_id }).orderBy('number').pluck('number') as Promise<string[]>,
  ]);
  return {
    reference: formatReference(row.reference_year, row.ticket_id),
    requesterName: row.requester_name,
    scope: row.scope,
    outageId: row.outage_id,
    observedAt: row.observed_at,
    receivedAt: row.received_at,
    description: first?.body_text ?? '',
    caseNumbers: cases,
  };
}

// Written literally (as in the staff queue), so that the partial index tickets_active_outage_reports serves it.
const ACTIVE_REPORT = `t.status IN ('new', 'open', 'waiting') AND t.flags LIKE '%"outage_report"%'`;

/** Active reports per outage (null: received when no outage of their scope was declared), read from their own index. */
export async function countActiveReports(db: Knex): Promise<Array<{ outageId: number | null; open: number }>> {
  const rows = (await dialectOf(db)
    .tableByIndex(db, 'tickets', 't', 'tickets_active_outage_reports')
    .join('outage_reports as r', 'r.ticket_id', 't.id')
    .whereRaw(ACTIVE_REPORT)
    .groupBy('r.outage_id')
    .select('r.outage_id')
    .count({ n: '*' })) as Array<{ outage_id: number | null; n: number | string }>;
  return rows.map((r) => ({ outageId: r.outage_id, open: Number(r.n) }));
}

/** A report as staff see it in the list of an outage's reports. */
export interface ListedReport {
  ticketId: number;
  reference: string;
  requesterName: string;
  requesterEmail: string;
  status: TicketStatus;
  scope: string;
  observedAt: string | null;
  receivedAt: string;
  mergedIntoId: number | null;
}

const byOutage = (query: Knex.QueryBuilder, outageId: number | null) =>
  outageId === null ? query.whereNull('r.outage_id') : query.where('r.outage_id', outageId);

/** Reports of an outage (or of none), newest first, after the ticket id `before`, at most `limit`. */
export async function listReports(
  q: Q,
  outageId: number | null,
  before: number | undefined,
  limit: number,
): Promise<ListedReport[]> {
  const query = byOutage(q('outage_reports as r').join('tickets as t', 't.id', 'r.ticket_id'), outageId)
    .orderBy('r.ticket_id', 'desc')
    .limit(limit)
    .select(
      'r.ticket_id',
      'r.scope',
      'r.observed_at',
      'r.received_at',
      't.reference_year',
      't.requester_name',
      't.requester_email',
      't.status',
      't.merged_into_id',
    );
  if (before !== undefined) query.where('r.ticket_id', '<', before);
  const rows = (await query) as Array<{
    ticket_id: number;
    scope: string;
    observed_at: string | null;
    received_at: string;
    reference_year: number;
    requester_name: string;
    requester_email: string;
    status: TicketStatus;
    merged_into_id: number | null;
  }>;
  return rows.map((r) => ({
    ticketId: r.ticket_id,
    reference: formatReference(r.reference_year, r.ticket_id),
    requesterName: r.requester_name,
    requesterEmail: r.requester_email,
    status: r.status,
    scope: r.scope,
    observedAt: r.observed_at,
    receivedAt: r.received_at,
    mergedIntoId: r.merged_into_id,
  }));
}

/** How many reports an outage (or none) has, and how many of them are still active. */
export async function countReports(q: Q, outageId: number | null): Promise<{ total: number; open: number }> {
  const [row] = (await byOutage(q('outage_reports as r').join('tickets as t', 't.id', 'r.ticket_id'), outageId).select(
    q.raw('count(*) as total'),
    q.raw(`sum(case when t.status in ('new', 'open', 'waiting') then 1 else 0 end) as open`),
  )) as Array<{ total: number | string; open: number | string | null }>;
  return { total: Number(row.total), open: Number(row.open ?? 0) };
}

/** One answer to all reports of an outage. */
export interface AnswerRow {
  id: number;
  outage_id: number;
  form_key: string;
  body: string;
  staff_id: number;
  created_at: string;
}

/**
 * Keeps an answer, once per form: the id of the new answer, or undefined when this form's answer
 * was kept before (a second submission of the same form).
 */
export async function insertAnswer(q: Q, row: Omit<AnswerRow, 'id'>): Promise<number | undefined> {
  const inserted = (await q('outage_answers').insert(row).onConflict('form_key').ignore().returning('id')) as Array<{
    id: number;
  }>;
  return inserted[0]?.id;
}

export async function findAnswerByKey(q: Q, formKey: string): Promise<AnswerRow | undefined> {
  return (await q('outage_answers').where({ form_key: formKey }).first()) as AnswerRow | undefined;
}

/** The answers sent to an outage's reports, newest first, each with who sent it and how many reports it reached. */
export async function listAnswers(
  q: Q,
  outageId: number,
): Promise<Array<{ id: number; body: string; staffName: string | null; createdAt: string; reached: number }>> {
  const reached = q('outage_answer_replies').select('answer_id').count({ n: '*' }).groupBy('answer_id').as('x');
  const rows = (await q('outage_answers as a')
    .leftJoin('staff_users as u', 'u.id', 'a.staff_id')
    .leftJoin(reached, 'x.answer_id', 'a.id')
    .where('a.outage_id', outageId)
    .orderBy('a.id', 'desc')
    .select('a.id', 'a.body', 'a.created_at', 'u.name as staff_name', q.raw('coalesce(x.n, 0) as reached'))) as Array<{
    id: number;
    body: string;
    created_at: string;
    staff_name: string | null;
    reached: number | string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    staffName: r.staff_name,
    createdAt: r.created_at,
    reached: Number(r.reached),
  }));
}

/**
 * Reports of the outage received before the answer that it has not reached yet (merged ones left
 * out), oldest first, after `afterTicketId`. A report received later is answered by a later answer.
 */
export async function reportsNotReached(
  q: Q,
  answer: Pick<AnswerRow, 'id' | 'outage_id' | 'created_at'>,
  afterTicketId: number,
  limit: number,
): Promise<Array<{ ticketId: number; reference: string }>> {
  const rows = (await q('outage_reports as r')
    .join('tickets as t', 't.id', 'r.ticket_id')
    .where('r.outage_id', answer.outage_id)
    .andWhere('r.ticket_id', '>', afterTicketId)
    .andWhere('t.created_at', '<=', answer.created_at)
    .whereNull('t.merged_into_id')
    .whereNotExists(q('outage_answer_replies as p').whereRaw('p.ticket_id = r.ticket_id').andWhere('p.answer_id', answer.id))
    .orderBy('r.ticket_id')
    .limit(limit)
    .select('r.ticket_id', 't.reference_year')) as Array<{ ticket_id: number; reference_year: number }>;
  return rows.map((r) => ({ ticketId: r.ticket_id, reference: formatReference(r.reference_year, r.ticket_id) }));
}

/**
 * Answers kept since `since` that have not reached every report received before them: sending them
 * was cut short (the process stopped). Oldest first.
 */
export async function answersNotFinished(q: Q, since: string): Promise<AnswerRow[]> {
  return (await q('outage_answers as a')
    .where('a.created_at', '>=', since)
    .whereExists(
      q('outage_reports as r')
        .join('tickets as t', 't.id', 'r.ticket_id')
        .whereRaw('r.outage_id = a.outage_id')
        .whereRaw('t.created_at <= a.created_at')
        .whereNull('t.merged_into_id')
        .whereNotExists(q('outage_answer_replies as p').whereRaw('p.ticket_id = r.ticket_id').whereRaw('p.answer_id = a.id')),
    )
    .orderBy('a.id')
    .select('a.*')) as AnswerRow[];
}

/** Notes that an answer reached a report; false when it had already (the database holds the pair once). */
export async function markReached(q: Q, answerId: number, ticketId: number, at: string): Promise<boolean> {
  const inserted = (await q('outage_answer_replies')
    .insert({ answer_id: answerId, ticket_id: ticketId, replied_at: at })
    .onConflict(['answer_id', 'ticket_id'])
    .ignore()
    .returning('ticket_id')) as Array<{ ticket_id: number }>;
  return inserted.length === 1;
}

import type { Knex } from 'knex';
import type { Outcome } from './scope-decision';
import type { RefusalCategory } from './scope-guard';

type Q = Knex | Knex.Transaction;

/** What staff said a request is: in scope, or one of the kinds the helpdesk refuses. */
export type CorrectionLabel = 'accept' | RefusalCategory;

/** A staff correction of the scope guard, kept as a labelled example (SPEC §8). */
export interface NewCorrection {
  ticketId: number;
  /** The request as stored: already masked. */
  subject: string;
  body: string;
  label: CorrectionLabel;
  /** What the scope guard decided when the request came in. */
  guardOutcome: Outcome;
  staffUserId: number;
  createdAt: string;
}

/** A correction as exported: the staff member named by email. */
export interface CorrectionRow {
  id: number;
  subject: string;
  body: string;
  label: CorrectionLabel;
  guardOutcome: Outcome;
  staffEmail: string;
  createdAt: string;
}

export async function recordCorrection(q: Q, correction: NewCorrection): Promise<void> {
  await q('triage_corrections').insert({
    ticket_id: correction.ticketId,
    subject: correction.subject,
    body: correction.body,
    label: correction.label,
    guard_outcome: correction.guardOutcome,
    staff_user_id: correction.staffUserId,
    created_at: correction.createdAt,
  });
}

/** One page of corrections in the order they were made, from `since` (an ISO instant) and after `afterId`. */
export async function listCorrections(
  q: Q,
  options: { since?: string; afterId?: number; limit: number },
): Promise<CorrectionRow[]> {
  const query = q('triage_corrections as c')
    .join('staff_users as u', 'u.id', 'c.staff_user_id')
    .where('c.id', '>', options.afterId ?? 0)
    .orderBy('c.id')
    .limit(options.limit)
    .select('c.id', 'c.subject', 'c.body', 'c.label', 'c.guard_outcome', 'c.created_at', 'u.email');
  if (options.since) query.andWhere('c.created_at', '>=', options.since);
  const rows = (await query) as Array<{
    id: number;
    subject: string;
    body: string;
    label: CorrectionLabel;
    guard_outcome: Outcome;
    created_at: string;
    email: string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    body: r.body,
    label: r.label,
    guardOutcome: r.guard_outcome,
    staffEmail: r.email,
    createdAt: r.created_at,
  }));
}

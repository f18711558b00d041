import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

export interface OverdueTicket {
  id: number;
  reference_year: number;
  subject: string;
  requester_name: string;
  first_response_due_at: string;
}

/**
 * Tickets whose first-response time passed by `atIso` with no answer, not in one of `notWaiting`
 * statuses and never named in an overdue alert; the most overdue first, at most `limit`.
 */
export async function unalertedOverdueTickets(
  q: Q,
  atIso: string,
  notWaiting: string[],
  limit: number,
): Promise<OverdueTicket[]> {
  return (await q('tickets as t')
    .whereNotNull('t.first_response_due_at')
    .andWhere('t.first_response_due_at', '<=', atIso)
    .whereNull('t.first_response_at')
    .whereNotIn('t.status', notWaiting)
    .whereNotExists((sub) => sub.select(q.raw('1')).from('ticket_overdue_alerts as a').whereRaw('a.ticket_id = t.id'))
    .orderBy('t.first_response_due_at')
    .limit(limit)
    .select('t.id', 't.reference_year', 't.subject', 't.requester_name', 't.first_response_due_at')) as OverdueTicket[];
}

/**
 * Records that these tickets are named in an alert sent at `at`. A ticket another run recorded first
 * is skipped (the unique ticket_id); returns the ids this call recorded.
 */
export async function claimOverdueAlerts(q: Q, ticketIds: number[], at: string): Promise<Set<number>> {
  const claimed = (await q('ticket_overdue_alerts')
    .insert(ticketIds.map((id) => ({ ticket_id: id, alerted_at: at })))
    .onConflict('ticket_id')
    .ignore()
    .returning('ticket_id')) as Array<{ ticket_id: number }>;
  return new Set(claimed.map((c) => c.ticket_id));
}

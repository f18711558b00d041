import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

/** A staff member who wants the daily summary. */
export interface SummaryRecipient {
  id: number;
  name: string;
  email: string;
}

/** An open ticket assigned to a staff member, as the summary lists it. */
export interface AssignedTicket {
  id: number;
  reference_year: number;
  subject: string;
  requester_name: string;
  status: 'new' | 'open' | 'waiting';
  created_at: string;
  first_response_due_at: string | null;
  first_response_at: string | null;
  assignee_id: number;
}

/** Active staff who have not turned the daily summary off, by id. */
export async function summaryRecipients(q: Q): Promise<SummaryRecipient[]> {
  return (await q('staff_users')
    .whereNull('disabled_at')
    .andWhere({ notify_daily_summary: true })
    .orderBy('id')
    .select('id', 'name', 'email')) as SummaryRecipient[];
}

/** The open tickets (new, open, waiting for the filer) assigned to these staff members, oldest first. */
export async function openTicketsAssignedTo(q: Q, staffIds: number[]): Promise<AssignedTicket[]> {
  if (staffIds.length === 0) return [];
  return (await q('tickets')
    .whereIn('assignee_id', staffIds)
    .whereIn('status', ['new', 'open', 'waiting'])
    .whereNull('merged_into_id')
    .orderBy('id')
    .select(
      'id',
      'reference_year',
      'subject',
      'requester_name',
      'status',
      'created_at',
      'first_response_due_at',
      'first_response_at',
      'assignee_id',
    )) as AssignedTicket[];
}

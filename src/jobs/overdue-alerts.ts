import { createHash } from 'node:crypto';
import { formatInstant } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { Outbox } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { formatReference } from '../tickets/reference';

// Enough for one readable email; a longer backlog is picked up by the next run.
const MAX_PER_ALERT = 100;
// Requests that no longer wait for the helpdesk's first answer.
const NOT_WAITING = ['resolved', 'closed', 'rejected'];

interface OverdueTicket {
  id: number;
  reference_year: number;
  subject: string;
  requester_name: string;
  first_response_due_at: string;
}

/**
 * Emails the helpdesk's own address a list of requests whose first-response time has passed with no
 * answer. Each request is named in one alert only: the rows of ticket_overdue_alerts, inserted in the
 * same transaction as the alert is queued, say which ones this run is the first to report.
 */
export async function alertOverdueFirstResponses(
  deps: { db: Db; outbox: Outbox; profile: CourtProfile; baseUrl: string },
  now: Date,
): Promise<{ alerted: number }> {
  const { db, outbox, profile, baseUrl } = deps;
  const overdue = (await db('tickets as t')
    .whereNotNull('t.first_response_due_at')
    .andWhere('t.first_response_due_at', '<=', now.toISOString())
    .whereNull('t.first_response_at')
    .whereNotIn('t.status', NOT_WAITING)
    .whereNotExists((q) => q.select(db.raw('1')).from('ticket_overdue_alerts as a').whereRaw('a.ticket_id = t.id'))
    .orderBy('t.first_response_due_at')
    .limit(MAX_PER_ALERT)
    .select('t.id', 't.reference_year', 't.subject', 't.requester_name', 't.first_response_due_at')) as OverdueTicket[];
  if (overdue.length === 0) return { alerted: 0 };

  return db.transaction(async (trx) => {
    const at = now.toISOString();
    const claimed = (await trx('ticket_overdue_alerts')
      .insert(overdue.map((t) => ({ ticket_id: t.id, alerted_at: at })))
      .onConflict('ticket_id')
      .ignore()
      .returning('ticket_id')) as Array<{ ticket_id: number }>;
    const ids = new Set(claimed.map((c) => c.ticket_id));
    const tickets = overdue.filter((t) => ids.has(t.id));
    if (tickets.length === 0) return { alerted: 0 };
    const listed = tickets.map((t) => {
      const reference = formatReference(t.reference_year, t.id);
      return {
        reference,
        subject: t.subject,
        requesterName: t.requester_name,
        due: formatInstant(t.first_response_due_at, profile.timezone),
        url: `${baseUrl}/staff/tickets/${reference}`,
      };
    });
    const subject =
      listed.length === 1
        ? `Overdue: ${listed[0].reference} has had no first answer`
        : `Overdue: ${listed.length} requests have had no first answer`;
    // To staff, from the helpdesk's own address: not signed as the helpdesk.
    const body = renderEmail(
      'overdue-alert',
      {
        court: profile.court,
        helpdesk: profile.helpdesk,
        baseUrl,
        tickets: listed,
        targetHours: profile.firstResponseBusinessHours,
        queueUrl: `${baseUrl}/staff?sort=due`,
      },
      { subject, signed: false },
    );
    const key = createHash('sha256')
      .update(tickets.map((t) => t.id).join(','))
      .digest('hex')
      .slice(0, 32);
    await outbox.queue(trx, {
      kind: 'staff_alert',
      dedupeKey: `staff_alert:overdue:${key}`,
      to: outbox.mailFrom,
      subject,
      ...body,
      messageId: outbox.newMessageId(),
      automatic: true,
    });
    return { alerted: tickets.length };
  });
}

import { createHash } from 'node:crypto';
import { formatInstant } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { Outbox } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { formatReference } from '../tickets/reference';
import { claimOverdueAlerts, unalertedOverdueTickets } from './overdue-alerts.repository';

// Enough for one readable email; a longer backlog is picked up by the next run.
const MAX_PER_ALERT = 100;
// Requests that no longer wait for the helpdesk's first answer.
const NOT_WAITING = ['resolved', 'closed', 'rejected'];

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
  const overdue = await unalertedOverdueTickets(db, now.toISOString(), NOT_WAITING, MAX_PER_ALERT);
  if (overdue.length === 0) return { alerted: 0 };

  return db.transaction(async (trx) => {
    const at = now.toISOString();
    const ids = await claimOverdueAlerts(
      trx,
      overdue.map((t) => t.id),
      at,
    );
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

import { DateTime } from 'luxon';
import { openStateAt } from '../calendar/court-calendar';
import { formatDate, formatInstant } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { OutgoingMail } from '../mail/outbound/outbox.repository';
import type { Outbox } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { formatReference } from '../tickets/reference';
import { resolutionClocksFor, type ResolutionClock } from '../tickets/resolution-clock';
import { openTicketsAssignedTo, summaryRecipients, type AssignedTicket } from './daily-summaries.repository';

// Enough for one readable email; the queue ("Mine") lists the rest.
const MAX_LISTED = 40;

/** One ticket as the summary lists it: what is late about it, in words. */
function describe(t: AssignedTicket, clock: ResolutionClock | undefined, profile: CourtProfile, baseUrl: string, now: Date) {
  const reference = formatReference(t.reference_year, t.id);
  const at = (iso: string) => formatInstant(iso, profile.timezone);
  const firstLate =
    !t.first_response_at && t.first_response_due_at !== null && Date.parse(t.first_response_due_at) < now.getTime();
  const resolutionLate = clock?.phase === 'running' && clock.state === 'overdue';
  const notes: string[] = [];
  if (firstLate) notes.push(`first answer was due ${at(t.first_response_due_at as string)}`);
  else if (!t.first_response_at && t.first_response_due_at) notes.push(`first answer due ${at(t.first_response_due_at)}`);
  if (clock?.phase === 'running' && clock.dueAt)
    notes.push(`${resolutionLate ? 'resolution was due' : 'resolve by'} ${at(clock.dueAt)}`);
  if (clock?.phase === 'paused') notes.push('waiting for the filer: the resolution clock is paused');
  return {
    reference,
    subject: t.subject,
    requesterName: t.requester_name,
    notes: notes.join('; '),
    url: `${baseUrl}/staff/tickets/${reference}`,
    overdue: firstLate || resolutionLate,
    waiting: t.status === 'waiting',
  };
}

/**
 * Emails each staff member who wants it a summary of the open tickets assigned to them, overdue ones
 * first, once per working day of the court (none on weekends, holidays and closures). The outbox's
 * dedupe key (person and court date) makes a second run the same day, in this process or another,
 * queue nothing: the job's lease keeps two runs apart, the key keeps them from repeating.
 */
export async function sendDailySummaries(
  deps: { db: Db; outbox: Outbox; profile: CourtProfile; baseUrl: string },
  now: Date,
): Promise<Record<string, number | string>> {
  const { db, outbox, profile, baseUrl } = deps;
  const today = openStateAt(profile, now);
  if (today.closure || !today.todayHours) return { skipped: 'the helpdesk is closed today' };
  const date = DateTime.fromJSDate(now, { zone: profile.timezone }).toISODate() as string;

  const people = await summaryRecipients(db);
  const tickets = await openTicketsAssignedTo(
    db,
    people.map((p) => p.id),
  );
  const clocks = await resolutionClocksFor(
    db,
    profile,
    tickets.map((t) => ({ id: t.id, createdAt: t.created_at, status: t.status })),
    now,
  );
  const mails: OutgoingMail[] = [];
  for (const person of people) {
    const own = tickets
      .filter((t) => t.assignee_id === person.id)
      .map((t) => describe(t, clocks.get(t.id), profile, baseUrl, now));
    if (own.length === 0) continue;
    const overdue = own.filter((t) => t.overdue);
    const yours = own.filter((t) => !t.overdue && !t.waiting);
    const waiting = own.filter((t) => !t.overdue && t.waiting);
    const subject = `Your open tickets: ${own.length} open${overdue.length > 0 ? `, ${overdue.length} overdue` : ''}`;
    // The first MAX_LISTED in the order they are read: overdue, then waiting for an answer, then waiting for the filer.
    let room = MAX_LISTED;
    const take = <T>(list: T[]) => {
      const shown = list.slice(0, Math.max(room, 0));
      room -= shown.length;
      return shown;
    };
    const body = renderEmail(
      'staff-daily-summary',
      {
        court: profile.court,
        helpdesk: profile.helpdesk,
        baseUrl,
        name: person.name,
        day: formatDate(date),
        total: own.length,
        overdue: take(overdue),
        overdueCount: overdue.length,
        yours: take(yours),
        yoursCount: yours.length,
        waiting: take(waiting),
        waitingCount: waiting.length,
        cut: own.length > MAX_LISTED,
        queueUrl: `${baseUrl}/staff?owner=mine`,
        accountUrl: `${baseUrl}/staff/account#notifications`,
      },
      { subject, signed: false },
    );
    mails.push({
      kind: 'staff_notification',
      dedupeKey: `daily_summary:${person.id}:${date}`,
      to: person.email,
      subject,
      ...body,
      messageId: outbox.newMessageId(),
      automatic: true,
    });
  }
  const results = await outbox.queueMany(db, mails);
  return { queued: results.filter((r) => r === 'queued').length, alreadySent: results.filter((r) => r === 'duplicate').length };
}

import type { Db } from '../db/knex';
import { Invalid } from '../errors';
import type { Outcome } from '../policy/scope-decision';
import { recordCorrection, type CorrectionLabel } from '../policy/triage-corrections.repository';
import type { Ticket } from './ticket.types';
import * as repo from './tickets.repository';

/** The flag of a request the scope guard was unsure of: accepted, and staff decide (SPEC §8). */
export const NEEDS_REVIEW = 'needs_review';

/** A request staff can still decline or clear of its review flag. */
export function isUnderReview(ticket: Ticket): boolean {
  return ticket.flags.includes(NEEDS_REVIEW) && ticket.status !== 'rejected' && !ticket.mergedIntoId;
}

export const notUnderReview = () =>
  new Invalid([
    {
      code: 'not_under_review',
      message: 'This request is not waiting for review, so there is nothing to decline or dismiss.',
    },
  ]);

/**
 * What the scope guard decided when the request came in: review when it was flagged (or staff have
 * since decided on the flag), refuse when it was stored as refused, else accept.
 */
function guardOutcomeOf(ticket: Ticket, history: repo.HistoryEntry[]): Outcome {
  const reviewed = history.some((h) => h.action === 'review_declined' || h.action === 'review_dismissed');
  if (reviewed || ticket.flags.includes(NEEDS_REVIEW)) return 'review';
  // The ticket row records its creation; its status then is the first status a change started from.
  const first = history.find((h) => typeof (h.before as { status?: unknown } | null)?.status === 'string');
  const createdAs = first ? (first.before as { status: string }).status : ticket.status;
  return createdAs === 'rejected' ? 'refuse' : 'accept';
}

/**
 * Keeps a staff correction of the scope guard (a decline, a dismissed flag, a reinstatement) as a
 * labelled example, with the request as stored (masked), in the caller's transaction and before the
 * change's own history entry.
 */
export async function keepCorrection(
  trx: Db,
  ticket: Ticket,
  staffId: number,
  label: CorrectionLabel,
  at: string,
): Promise<void> {
  const [messages, history] = await Promise.all([repo.listMessages(trx, ticket.id), repo.listEvents(trx, ticket.id)]);
  const request = messages.find((m) => m.direction === 'in' && m.author === 'requester');
  await recordCorrection(trx, {
    ticketId: ticket.id,
    subject: ticket.subject,
    body: request?.bodyText ?? '',
    label,
    guardOutcome: guardOutcomeOf(ticket, history),
    staffUserId: staffId,
    createdAt: at,
  });
}

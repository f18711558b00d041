import { addBusinessHours } from '../calendar/business-time';
import type { CourtProfile } from '../config/court-profile';
import type { Language } from '../i18n/i18n';
import type { Ticket } from './ticket.types';

/**
 * What the filer can expect next, from the ticket's state and the court's business hours: `by` is
 * when an answer is due (UTC ISO), counted in helpdesk hours from the profile's first-response target.
 */
export type StatusOutlook =
  | { kind: 'refused' }
  | { kind: 'review'; by: string }
  | { kind: 'firstAnswer'; by: string }
  | { kind: 'late' }
  | { kind: 'nextAnswer'; by: string }
  | { kind: 'waiting' }
  | { kind: 'resolved' }
  | { kind: 'closed' };

type OutlookTicket = Pick<Ticket, 'status' | 'flags' | 'updatedAt' | 'firstResponseDueAt' | 'firstResponseAt'>;

/** What happens next on a request, and by when, as its status page tells the filer. */
export function statusOutlook(ticket: OutlookTicket, profile: CourtProfile, now: Date): StatusOutlook {
  const dueFrom = (iso: string) => addBusinessHours(profile, new Date(iso), profile.firstResponseBusinessHours).toISOString();
  switch (ticket.status) {
    case 'rejected':
      return { kind: 'refused' };
    case 'waiting':
      return { kind: 'waiting' };
    case 'resolved':
      return { kind: 'resolved' };
    case 'closed':
      return { kind: 'closed' };
    default:
      break;
  }
  // A refusal the filer disputed has no first-response target of its own: the same target, from then.
  if (ticket.flags.includes('review_requested') && !ticket.firstResponseAt && !ticket.firstResponseDueAt) {
    const by = dueFrom(ticket.updatedAt);
    return Date.parse(by) < now.getTime() ? { kind: 'late' } : { kind: 'review', by };
  }
  if (!ticket.firstResponseAt) {
    const by = ticket.firstResponseDueAt ?? dueFrom(ticket.updatedAt);
    return Date.parse(by) < now.getTime() ? { kind: 'late' } : { kind: 'firstAnswer', by };
  }
  // Answered before, and the filer wrote again (or staff are on it): the same target from the last change.
  const by = dueFrom(ticket.updatedAt);
  return Date.parse(by) < now.getTime() ? { kind: 'late' } : { kind: 'nextAnswer', by };
}

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant in the court's zone, in the filer's language: "Thursday, December 3, 2026 at 11:30 AM PST". */
export function formatFilerInstant(iso: string, zone: string, language: Language): string {
  const key = `${language}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[language], {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: zone,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(iso));
}

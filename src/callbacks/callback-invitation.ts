import { createEvent, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { CourtProfile } from '../config/court-profile';
import { isLanguage, translator } from '../i18n/i18n';
import { withAsciiDomain } from '../tickets/email.schema';
import type { CallbackRow } from './callbacks.repository';

/**
 * PUBLISH: the file a filer downloads from the manage page. REQUEST and CANCEL: the iTIP methods of an
 * invitation sent by email (RFC 6047), which calendar programs apply to the event with the same UID.
 */
export type InvitationMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

/**
 * An address as a mailto: URI writes it (RFC 6068): the domain in ASCII and, in the local part,
 * everything but letters, digits and a few marks percent-encoded (quotes, spaces, UTF-8 octets).
 */
export function mailtoAddress(address: string): string {
  const ascii = withAsciiDomain(address);
  const at = ascii.lastIndexOf('@');
  const local = ascii.slice(0, at).replace(/[^A-Za-z0-9\-._~!$'*+]/gu, (ch) => encodeURIComponent(ch));
  return `${local}${ascii.slice(at)}`;
}

/** The event's UID: stable for the life of a booking, so a change or cancellation updates the same entry. */
export function invitationUid(profile: CourtProfile, callbackId: number): string {
  return `callback-${callbackId}@${profile.court.id}.ecf-helpdesk`;
}

/**
 * The calendar invitation of a callback: stable UID, SEQUENCE raised with each change (the row keeps
 * it), cancelled when the booking is. `organizer` is the helpdesk's address, needed by REQUEST/CANCEL.
 */
export function callbackInvitation(
  profile: CourtProfile,
  row: Pick<CallbackRow, 'id' | 'slot_start' | 'status' | 'ics_sequence' | 'phone' | 'topic' | 'name' | 'email' | 'language'>,
  options: { method?: InvitationMethod; organizer?: string } = {},
): string {
  const t = translator(isLanguage(row.language) ? row.language : 'en');
  const cancelled = row.status === 'cancelled' || options.method === 'CANCEL';
  const method = options.method ?? (cancelled ? 'CANCEL' : 'PUBLISH');
  const start = DateTime.fromISO(row.slot_start, { zone: 'utc' });
  const event: EventAttributes = {
    uid: invitationUid(profile, row.id),
    sequence: row.ics_sequence,
    method,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    // In the language the call was booked in, like its mail.
    title: t('callbacks:invitation.title', { court: profile.court.name }),
    description: [
      t('callbacks:invitation.description', { phone: row.phone }),
      row.topic ? t('callbacks:invitation.topic', { topic: row.topic }) : '',
    ]
      .filter(Boolean)
      .join(' '),
    start: [start.year, start.month, start.day, start.hour, start.minute],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: profile.callbacks.slotMinutes },
  };
  if (options.organizer && method !== 'PUBLISH') {
    event.organizer = { name: `${profile.court.name} CM/ECF Helpdesk`, email: mailtoAddress(options.organizer) };
    // The filer chose the time, so the invitation is already accepted and asks for no reply: a reply
    // would otherwise land in the helpdesk's mailbox as a new request.
    event.attendees = [
      { name: row.name, email: mailtoAddress(row.email), rsvp: false, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' },
    ];
  }
  const { error, value } = createEvent(event);
  if (error || !value) throw error ?? new Error('could not build the invitation');
  return value;
}

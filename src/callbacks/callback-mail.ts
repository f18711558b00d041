import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { formatInstant, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { OutboxKind } from '../mail/outbound/outbox.repository';
import type { Outbox, QueueResult } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { PRIVACY_WARNING } from '../policy/refusal-messages';
import { callbackInvitation, type InvitationMethod } from './callback-invitation';
import type { CallbackRow } from './callbacks.repository';

export interface CallbackMailDeps {
  outbox: Outbox;
  profile: CourtProfile;
  /** Absolute base of links in mail, such as https://helpdesk.example.gov */
  baseUrl: string;
}

/** A phone number as the filer wrote it: (206) 555-0142 at home, +44 20 … abroad. */
export function displayPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.country === 'US' ? phone.formatNational() : phone.formatInternational();
}

type Letter = 'callback-confirmation' | 'callback-changed' | 'callback-cancelled' | 'callback-reminder';

const SUBJECTS: Record<Letter, string> = {
  'callback-confirmation': 'Your phone callback is booked',
  'callback-changed': 'Your phone callback has a new time',
  'callback-cancelled': 'Your phone callback is cancelled',
  'callback-reminder': 'Reminder: the helpdesk will call you',
};

const KINDS: Record<Letter, OutboxKind> = {
  'callback-confirmation': 'callback_confirmation',
  'callback-changed': 'callback_changed',
  'callback-cancelled': 'callback_cancelled',
  'callback-reminder': 'callback_reminder',
};

/**
 * Mail to a filer about their callback: confirmation, change and cancellation (each with the calendar
 * invitation) and the reminder. Queued in the caller's transaction, so mail goes out only for a change
 * that was saved, and each message has a dedupe key so a retried step never sends it twice.
 */
export function createCallbackMail(deps: CallbackMailDeps) {
  const { outbox, profile, baseUrl } = deps;

  function queue(
    q: Db,
    letter: Letter,
    row: CallbackRow,
    dedupeKey: string,
    options: { token?: string; method?: InvitationMethod; previousStart?: string; privacyRedacted?: boolean },
  ): Promise<QueueResult> {
    const body = renderEmail(
      letter,
      {
        court: profile.court,
        helpdesk: profile.helpdesk,
        baseUrl,
        name: row.name,
        when: formatInstant(row.slot_start, profile.timezone),
        previously: options.previousStart ? formatInstant(options.previousStart, profile.timezone) : null,
        zone: zoneName(profile.timezone, new Date(row.slot_start)),
        minutes: profile.callbacks.slotMinutes,
        phone: displayPhone(row.phone),
        topic: row.topic,
        // The filer is told, as on the page, when masking changed what they wrote.
        privacyWarning: options.privacyRedacted ? PRIVACY_WARNING.en : null,
        // Only the hash of the manage token is stored, so a link can be written only when the filer just used it.
        manageUrl: options.token ? `${baseUrl}/callbacks/manage/${options.token}` : null,
        bookUrl: `${baseUrl}/callbacks`,
        helpUrl: `${baseUrl}/help`,
      },
      { subject: SUBJECTS[letter] },
    );
    const attachments = options.method
      ? [
          {
            filename: options.method === 'CANCEL' ? 'cancel-callback.ics' : 'helpdesk-callback.ics',
            contentType: `text/calendar; charset=utf-8; method=${options.method}`,
            content: callbackInvitation(profile, row, { method: options.method, organizer: outbox.mailFrom }),
          },
        ]
      : undefined;
    return outbox.queue(q, {
      kind: KINDS[letter],
      dedupeKey,
      ticketId: row.ticket_id,
      to: row.email,
      subject: SUBJECTS[letter],
      ...body,
      messageId: outbox.newMessageId(),
      automatic: true,
      attachments,
    });
  }

  return {
    /** The booking confirmation with the invitation (METHOD:REQUEST); it warns when the topic was masked. */
    confirmation: (q: Db, row: CallbackRow, token: string, options: { privacyRedacted?: boolean } = {}) =>
      queue(q, 'callback-confirmation', row, `callback_confirmation:${row.id}`, {
        token,
        method: 'REQUEST',
        privacyRedacted: options.privacyRedacted,
      }),

    /** The new time, with the same invitation updated (same UID, higher SEQUENCE). */
    changed: (q: Db, row: CallbackRow, token: string | undefined, previousStart: string) =>
      queue(q, 'callback-changed', row, `callback_changed:${row.id}:${row.ics_sequence}`, {
        token,
        method: 'REQUEST',
        previousStart,
      }),

    /** The cancellation, with METHOD:CANCEL so the calendar entry disappears. */
    cancelled: (q: Db, row: CallbackRow, token: string | undefined) =>
      queue(q, 'callback-cancelled', row, `callback_cancelled:${row.id}`, { token, method: 'CANCEL' }),

    /** The reminder before the call; one per booked time, so a moved call is reminded again. */
    reminder: (q: Db, row: CallbackRow) =>
      queue(q, 'callback-reminder', row, `callback_reminder:${row.id}:${row.slot_start}`, {}),
  };
}

export type CallbackMail = ReturnType<typeof createCallbackMail>;

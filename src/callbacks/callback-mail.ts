import { displayPhone } from '../phone/display-phone';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { OutboxKind } from '../mail/outbound/outbox.repository';
import type { Outbox, QueueResult } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { isLanguage, translator } from '../i18n/i18n';
import { PRIVACY_WARNING } from '../policy/refusal-messages';
import { callTimeLabel, zoneLabel } from './callback-dates';
import { callbackInvitation, type InvitationMethod } from './callback-invitation';
import type { CallbackRow } from './callbacks.repository';

export interface CallbackMailDeps {
  outbox: Outbox;
  profile: CourtProfile;
  /** Absolute base of links in mail, such as https://helpdesk.example.gov */
  baseUrl: string;
}

// A phone number as people write it in the court's country: (206) 555-0142 at home, +44 20 … abroad.
export { displayPhone };

type Letter = 'callback-confirmation' | 'callback-changed' | 'callback-cancelled' | 'callback-reminder';

/** The catalogue key of each letter's subject (namespace callbacks, in the booking's language). */
const SUBJECTS: Record<Letter, string> = {
  'callback-confirmation': 'callbacks:email.subject.confirmation',
  'callback-changed': 'callbacks:email.subject.changed',
  'callback-cancelled': 'callbacks:email.subject.cancelled',
  'callback-reminder': 'callbacks:email.subject.reminder',
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
    // Written in the language the call was booked in; bookings from before languages get English.
    const lang = isLanguage(row.language) ? row.language : 'en';
    const t = translator(lang);
    const subject = t(SUBJECTS[letter]);
    const body = renderEmail(
      letter,
      {
        t,
        lang,
        court: profile.court,
        helpdesk: profile.helpdesk,
        baseUrl,
        name: row.name,
        when: callTimeLabel(row.slot_start, profile.timezone, lang),
        previously: options.previousStart ? callTimeLabel(options.previousStart, profile.timezone, lang) : null,
        zone: zoneLabel(profile.timezone, lang, new Date(row.slot_start)),
        minutes: profile.callbacks.slotMinutes,
        phone: displayPhone(row.phone),
        topic: row.topic,
        // The filer is told, as on the page, when masking changed what they wrote.
        privacyWarning: options.privacyRedacted ? PRIVACY_WARNING[lang] : null,
        // Only the hash of the manage token is stored, so a link can be written only when the filer just used it.
        manageUrl: options.token ? `${baseUrl}/callbacks/manage/${options.token}` : null,
        bookUrl: `${baseUrl}/callbacks`,
        helpUrl: `${baseUrl}/help`,
      },
      { subject },
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
      subject,
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

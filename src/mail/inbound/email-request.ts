/**
 * The request an email makes, as intake takes it for a new ticket: shared by intake and by the mail
 * reader, which assesses a new request on its own thread while the mail before it is written.
 */
import type { ScopeRules } from '../../policy/scope-guard';
import { assessIntake, type IntakeAssessment, type RequestWords } from '../../tickets/intake-assessment';
import type { MessageReading } from './read-message';

const MAX_SUBJECT = 200;

/**
 * A message that starts a ticket with nothing to look up first: a person's mail, a sender, no thread
 * keys. Not list mail: that is set aside until staff make it a ticket.
 */
export const startsFresh = (reading: MessageReading): boolean =>
  reading.classification.kind === 'request' &&
  reading.from !== null &&
  reading.keys.messageIds.length === 0 &&
  reading.keys.reference === null;

/** The text a message adds to a ticket; never empty. */
export const bodyOf = (reading: MessageReading, attachments: number): string =>
  reading.body || (attachments > 0 ? '(The message has attachments and no text.)' : '(The message is empty.)');

export const subjectOf = (reading: MessageReading): string => (reading.subject || '(no subject)').slice(0, MAX_SUBJECT);

/** The words of the new request a message makes. */
export const requestWords = (reading: MessageReading, attachments: number): RequestWords => ({
  subject: subjectOf(reading),
  body: bodyOf(reading, attachments),
  ownWords: reading.ownWords,
});

/** The assessment of a message that will start a new ticket; undefined for any other. */
export function assessEmailRequest(
  rules: ScopeRules,
  reading: MessageReading,
  attachments: number,
): IntakeAssessment | undefined {
  return startsFresh(reading) ? assessIntake(rules, requestWords(reading, attachments)) : undefined;
}

import { detectLanguage, type Language } from '../policy/detect-language';
import type { TicketMessage } from './ticket.types';

/**
 * The language of a stored request, for refusals shown or sent after intake. Tickets keep no
 * language: it is read again from the subject and the filer's first message, as the scope guard
 * read it when the request came in.
 */
export function requestLanguage(
  subject: string,
  messages: Array<Pick<TicketMessage, 'direction' | 'author' | 'bodyText'>>,
): Language {
  const request = messages.find((m) => m.direction === 'in' && m.author === 'requester');
  return detectLanguage(`${subject}\n${request?.bodyText ?? ''}`);
}

import { detectLanguage, languageScores, type Language } from '../policy/detect-language';
import type { TicketMessage } from './ticket.types';

/**
 * The language of a stored request, for refusals shown or sent after intake: the language recorded
 * at intake (`tickets.language`), or for a ticket from before it was recorded, the language read again
 * from the subject and the filer's first message, as the scope guard read it when the request came in.
 */
export function requestLanguage(
  subject: string,
  messages: Array<Pick<TicketMessage, 'direction' | 'author' | 'bodyText'>>,
  recorded: Language | null = null,
): Language {
  if (recorded) return recorded;
  const request = messages.find((m) => m.direction === 'in' && m.author === 'requester');
  return detectLanguage(`${subject}\n${request?.bodyText ?? ''}`);
}

/**
 * What decides a new request's language: `chosen`, a language the sender named (the API's `language`
 * field); `page`, the language of the page the form was sent from.
 */
export interface LanguageChoice {
  chosen?: Language;
  page?: Language;
}

// A request "clearly" in the other language: at least this many of its function words are of that
// language, and more than twice as many as of the page's. A short "Hola" or a case caption in English
// on a Spanish page does not switch it; a paragraph written in the other language does.
const CLEAR_WORDS = 4;

/**
 * The language a new request is recorded in (SPEC §14), which its acknowledgement, refusal and staff
 * replies use: the language the sender named; else, from a web form, the page's language unless the
 * text is clearly written in the other one (someone reading the English page who writes in Spanish
 * is answered in Spanish); else (email, API without `language`) the language the text is written in.
 */
export function intakeLanguage(text: string, choice: LanguageChoice = {}): Language {
  if (choice.chosen) return choice.chosen;
  if (!choice.page) return detectLanguage(text);
  const { spanish, english } = languageScores(text);
  const [own, other] = choice.page === 'es' ? [spanish, english] : [english, spanish];
  const clearlyOther = other >= CLEAR_WORDS && other > 2 * own;
  return clearlyOther ? (choice.page === 'es' ? 'en' : 'es') : choice.page;
}

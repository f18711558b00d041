import { convert, type HtmlToTextOptions } from 'html-to-text';
import type { FaqAnswer } from './faq-content';

// Staff start a reply from an FAQ answer; the reply goes out as plain text (and the same text in a
// pre-wrapped HTML part), so the answer is written the way a person types a list in an email.

const optionsFor = (baseUrl: string): HtmlToTextOptions => ({
  wordwrap: false,
  selectors: [
    // Links keep their address, made absolute, in brackets after the words; a bare address once.
    { selector: 'a', options: { baseUrl, linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * An FAQ answer as the text of a reply: paragraphs apart, numbered and bulleted lists as "1." and
 * "- " lines, links written out, then a link to the answer itself on the helpdesk's site.
 */
export function answerAsReplyText(answer: Pick<FaqAnswer, 'id' | 'html'>, baseUrl: string, language: 'en' | 'es' = 'en'): string {
  const text = convert(answer.html, optionsFor(baseUrl))
    // html-to-text pads numbers to line up ten or more items; a typed list starts at the margin.
    .replace(/^ +(\d+\. )/gm, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // The reply goes to the filer in the ticket's language: the closing line and the link follow it.
  return language === 'es'
    ? `${text}\n\nLa respuesta completa, con enlaces: ${baseUrl}/faq/${answer.id}?lang=es`
    : `${text}\n\nThe full answer, with links: ${baseUrl}/faq/${answer.id}`;
}

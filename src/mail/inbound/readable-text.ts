import { convert } from 'html-to-text';
import type { ParsedMail } from 'mailparser';

/** Plain text a person would read from an HTML body: links kept as text, images and scripts dropped. */
export function htmlToReadableText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  });
}

/** The readable body of a parsed message: its text part, else its HTML part turned into text. */
export function readableBody(mail: Pick<ParsedMail, 'text' | 'html'>): string {
  if (mail.text && mail.text.trim()) return mail.text;
  if (typeof mail.html === 'string') return htmlToReadableText(mail.html);
  return '';
}

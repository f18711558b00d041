import type { ParsedMail } from 'mailparser';
import { normaliseMessageId } from './thread-keys';

// Parts in which a delivery report returns the message it is about (RFC 3464 §2, RFC 6533).
const RETURNED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
// A Message-ID header line, also as quoted in the prose of a bounce without a report part.
const MESSAGE_ID_LINE = /^[ \t>]*message-id[ \t]*:[ \t]*(\S.*)$/gim;
// More than any real report holds: a report listing hundreds of ids is not one.
const MAX_IDS = 20;

function messageIdLines(text: string): string[] {
  return [...text.matchAll(MESSAGE_ID_LINE)].flatMap((match) => normaliseMessageId(match[1]) ?? []);
}

/**
 * The Message-IDs of the message a delivery report returns, best first: from the returned message
 * or its headers (only the header block), then from a copy quoted in the text. `text` is the
 * message's readable text. Only these (and In-Reply-To/References) tie a report to mail we sent.
 */
export function returnedMessageIds(mail: ParsedMail, text: string): string[] {
  const returned = mail.attachments
    .filter((a) => RETURNED_TYPES.has(a.contentType.toLowerCase()))
    .flatMap((a) => {
      const content = a.content.toString('utf8');
      const end = content.search(/\r?\n\r?\n/);
      return messageIdLines(end === -1 ? content : content.slice(0, end));
    });
  return [...new Set([...returned, ...messageIdLines(text)])].slice(0, MAX_IDS);
}

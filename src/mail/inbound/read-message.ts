import type { ParsedMail } from 'mailparser';
import { emailSchema } from '../../tickets/email.schema';
import { classifyMessage, type Classification } from './classify-message';
import { findCourtId } from './find-court';
import { isCourtAddress, ownWords } from './own-words';
import { readableBody } from './readable-text';
import { returnedMessageIds } from './returned-message';
import { normaliseMessageId, threadKeys, type ThreadKeys } from './thread-keys';

/**
 * How intake asks mailparser to parse: without the HTML version of the text part (textAsHtml, with
 * its link detection) and without inlining images into the HTML — intake uses neither, and they are
 * the costliest steps of parsing.
 */
export const PARSE_OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true } as const;

// Web requests stop at 20,000 characters; mail (a forwarded notice, a pasted log) may be longer. The
// full message is always in the stored raw copy.
const MAX_EMAIL_TEXT = 100_000;

/** What intake reads from a parsed message before it decides anything. */
export interface MessageReading {
  classification: Classification;
  messageId: string | null;
  from: { name: string; address: string } | null;
  subject: string;
  body: string;
  /** The HTML part as received: stored so, and sanitised only when a page shows it. */
  html: string | null;
  keys: ThreadKeys;
  /** For a delivery report, the Message-IDs of the message it returns (see returned-message.ts); else empty. */
  returnedMessageIds: string[];
  court: string | null;
  /** What the scope guard reads: the sender's own words, not a forwarded notice; '' for a court's own mail. */
  ownWords: string;
}

/** Reads a parsed message: who sent it, what kind it is, its readable text and the keys that thread it. */
export function readMessage(mail: ParsedMail, ownAddresses: string[]): MessageReading {
  const sender = mail.from?.value.find((a) => a.address);
  const parsedAddress = sender?.address ? emailSchema.safeParse(sender.address) : null;
  const address = parsedAddress?.success ? parsedAddress.data : null;
  const text = readableBody(mail).trim();
  const html = typeof mail.html === 'string' ? mail.html : null;
  const classification = classifyMessage(mail, ownAddresses);
  return {
    classification,
    messageId: normaliseMessageId(mail.messageId),
    from: address ? { name: (sender?.name || address.split('@')[0]).trim().slice(0, 200), address } : null,
    subject: (mail.subject ?? '').trim(),
    body:
      text.length > MAX_EMAIL_TEXT
        ? `${text.slice(0, MAX_EMAIL_TEXT)}\n\n[The rest of this message is in the original email.]`
        : text,
    html,
    keys: threadKeys(mail),
    returnedMessageIds: classification.kind === 'bounce' ? returnedMessageIds(mail, text) : [],
    court: findCourtId(`${mail.subject ?? ''}\n${text}\n${html ?? ''}`, address),
    ownWords: isCourtAddress(address) ? '' : ownWords(text),
  };
}

/** What `mail:inspect` reports intake would do with a message. */
export function inspectDecision(c: Classification, refusal: string | null, hasSender: boolean, threaded: boolean): string {
  if (c.kind === 'own_address') return 'ignore_own_address';
  if (c.kind === 'bounce') return 'record_bounce';
  // Everything else needs someone to answer: without a sender it is set aside, as intake does.
  if (!hasSender) return 'quarantine';
  if (c.kind === 'auto_reply') return 'ignore_auto_reply';
  // A reply joins its ticket as it is; only a new request goes through the scope guard.
  if (threaded) return 'add_to_ticket';
  // List mail is set aside for staff, who may make it a ticket.
  if (c.kind === 'list') return 'set_aside_list';
  return refusal ?? 'accept';
}

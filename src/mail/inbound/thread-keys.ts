import type { ParsedMail } from 'mailparser';
import { formatReference } from '../../tickets/reference';

/** A ticket reference found in a subject: `[HD-2026-000123]` → year 2026, id 123. */
export type SubjectReference = { year: number; id: number; text: string };

/** What a reply can be threaded by, best first: the Message-IDs it answers, then a subject reference. */
export type ThreadKeys = { messageIds: string[]; reference: SubjectReference | null };

// No whitespace or brackets inside: RFC 5322 msg-id, tolerating spaces just inside the brackets.
const BRACKETED_ID = /<\s*([^<>\s]+)\s*>/g;

/** Every Message-ID in a header value, each as `<id>`, in the order written. */
function messageIdsIn(raw: string): string[] {
  const bracketed = [...raw.matchAll(BRACKETED_ID)].map((match) => `<${match[1]}>`);
  if (bracketed.length > 0) return bracketed;
  // Some mailers drop the brackets; a bare token only counts when it looks like an id (has an @),
  // so "Your message of Monday" in an old-style In-Reply-To is not taken for one.
  return raw
    .split(/\s+/)
    .filter((token) => /^[^<>\s@]+@[^<>\s@]+$/.test(token))
    .map((token) => `<${token}>`);
}

/** The first Message-ID in `raw` in `<id>` form, exactly as written otherwise; null when there is none. */
export function normaliseMessageId(raw: string | undefined): string | null {
  if (!raw) return null;
  const ids = messageIdsIn(raw);
  if (ids.length > 0) return ids[0];
  // A single bare token without @ is still someone's Message-ID (some systems mint them so).
  const bare = raw.trim().replace(/^<+|>+$/g, '');
  return bare && !/[\s<>]/.test(bare) ? `<${bare}>` : null;
}

/** Raw, unfolded values of a top-level header; mailparser's parsed form mangles unusual ids. */
function headerValues(mail: ParsedMail, name: string): string[] {
  return (mail.headerLines ?? [])
    .filter((header) => header.key === name)
    .map((header) => header.line.slice(header.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' '));
}

function parsedValues(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Message-IDs a reply points at: In-Reply-To, then References newest first, without duplicates. */
function repliedToIds(mail: ParsedMail): string[] {
  let inReplyTo = headerValues(mail, 'in-reply-to');
  let references = headerValues(mail, 'references');
  // Objects built without header lines (hand-made in callers) still carry the parsed fields.
  if (inReplyTo.length === 0 && references.length === 0) {
    inReplyTo = parsedValues(mail.inReplyTo);
    references = parsedValues(mail.references);
  }
  const ordered = [
    ...inReplyTo.flatMap(messageIdsIn),
    // References lists the oldest first; the newest is the most specific thread key.
    ...references.flatMap(messageIdsIn).reverse(),
  ];
  return [...new Set(ordered)];
}

// Only in square brackets: a bare "HD-2026-000123" in a subject may be quoted from anything.
const SUBJECT_REFERENCE = /\[\s*HD-(\d{4})-(\d{6,})\s*\]/i;

/** The ticket reference in square brackets anywhere in a subject, whatever Re:/Fwd: prefixes come first. */
export function subjectReference(subject: string | undefined): SubjectReference | null {
  const match = SUBJECT_REFERENCE.exec(subject ?? '');
  if (!match) return null;
  const year = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return { year, id, text: formatReference(year, id) };
}

/** The keys that thread a reply into its ticket (SPEC §6): replied-to Message-IDs, then the subject reference. */
export function threadKeys(mail: ParsedMail): ThreadKeys {
  return { messageIds: repliedToIds(mail), reference: subjectReference(mail.subject) };
}

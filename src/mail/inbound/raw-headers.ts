import { createHash } from 'node:crypto';
import { normaliseMessageId } from './thread-keys';

// Headers end at the first empty line; a message without one is all headers. Huge header blocks
// are cut: the Message-ID is near the top of any real message.
const MAX_HEADER_BYTES = 256 * 1024;

/** Where the header block of a raw message ends (the empty line after it), or -1 when none is found. */
export function headerEnd(raw: Buffer): number {
  const head = raw.subarray(0, MAX_HEADER_BYTES);
  const ends = [head.indexOf('\n\r\n'), head.indexOf('\n\n')].filter((i) => i >= 0);
  return ends.length > 0 ? Math.min(...ends) + 1 : -1;
}

/** The unfolded value of the first header called `name` in a raw message, or null. */
export function rawHeader(raw: Buffer, name: string): string | null {
  const end = headerEnd(raw);
  const head = raw.subarray(0, end === -1 ? MAX_HEADER_BYTES : end).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return null;
}

/** The Message-ID of a raw message in `<id>` form, or null when it has none (or a useless one). */
export function rawMessageId(raw: Buffer): string | null {
  const id = normaliseMessageId(rawHeader(raw, 'message-id') ?? undefined);
  return id && id.length <= 900 ? id : null;
}

/**
 * What makes two copies of a message the same message: its Message-ID, or for a message without one
 * the SHA-256 of its bytes. The database refuses a second row with the same key; a different message
 * with the same Message-ID is stored under `variantKey` (see storeRaw).
 */
export function dedupeKeyOf(raw: Buffer): { key: string; messageId: string | null } {
  const messageId = rawMessageId(raw);
  return messageId
    ? { key: `mid:${messageId}`, messageId }
    : { key: `sha256:${createHash('sha256').update(raw).digest('hex')}`, messageId: null };
}

/** The key of a message whose Message-ID an earlier, different message already has. */
export const variantKey = (key: string, contentHash: string): string => `${key}#${contentHash}`;

// The headers that make a message what it is. Those each server adds on the way (Received,
// Delivered-To, Return-Path, authentication results) do not: a copy delivered twice, by two routes,
// is the same message.
const CONTENT_HEADERS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'subject',
  'date',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/**
 * The SHA-256 of what a message says: its content headers and its body, with line ends made
 * alike (a file given to mail:import may have LF where IMAP gives CRLF).
 */
export function contentHashOf(raw: Buffer): string {
  const hash = createHash('sha256');
  const end = headerEnd(raw);
  if (end >= 0) {
    const lines = raw
      .subarray(0, end)
      .toString('latin1')
      .replace(/\r?\n[ \t]+/g, ' ')
      .split(/\r?\n/);
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
      if (CONTENT_HEADERS.has(name))
        hash.update(
          `${name}:${line
            .slice(colon + 1)
            .replace(/\s+/g, ' ')
            .trim()}\n`,
          'latin1',
        );
    }
    hash.update('\n');
  }
  // The body (or the whole message, when no header block ends), CRLF as LF, without trailing blank space.
  let stop = raw.length;
  while (stop > 0 && [0x0a, 0x0d, 0x20, 0x09].includes(raw[stop - 1])) stop -= 1;
  const body = raw.subarray(Math.max(end, 0), Math.max(stop, Math.max(end, 0)));
  let at = 0;
  for (let cr = body.indexOf('\r\n'); cr !== -1; cr = body.indexOf('\r\n', at)) {
    hash.update(body.subarray(at, cr));
    at = cr + 1;
  }
  hash.update(body.subarray(at));
  return hash.digest('hex');
}

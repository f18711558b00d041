import { createHash } from 'node:crypto';
import { normaliseMessageId } from './thread-keys';

// Headers end at the first empty line; a message without one is all headers. Huge header blocks
// are cut: the Message-ID is near the top of any real message.
const MAX_HEADER_BYTES = 256 * 1024;

/** The unfolded value of the first header called `name` in a raw message, or null. */
export function rawHeader(raw: Buffer, name: string): string | null {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
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
 * the SHA-256 of its bytes. The database refuses a second row with the same key.
 */
export function dedupeKeyOf(raw: Buffer): { key: string; messageId: string | null } {
  const messageId = rawMessageId(raw);
  return messageId
    ? { key: `mid:${messageId}`, messageId }
    : { key: `sha256:${createHash('sha256').update(raw).digest('hex')}`, messageId: null };
}

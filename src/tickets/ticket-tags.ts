/**
 * Free tags staff put on tickets (SPEC §13): stored lower-case and trimmed, 1 to 40 characters of
 * letters, digits, spaces and hyphens, runs of spaces made one; "PACER  Login " is "pacer login".
 */
export const TAG_MAX_LENGTH = 40;

const TAG = /^[\p{L}\p{N} -]+$/u;

/** The tag as stored, or null when it is not a valid tag (empty, too long, other characters). */
export function normaliseTag(input: string): string | null {
  const tag = input.trim().replace(/\s+/g, ' ').toLowerCase();
  return tag.length >= 1 && tag.length <= TAG_MAX_LENGTH && TAG.test(tag) ? tag : null;
}

/** What staff read when a tag is refused. */
export const TAG_RULE = 'A tag is 1 to 40 letters, digits, spaces or hyphens.';

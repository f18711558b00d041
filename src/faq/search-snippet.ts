/** The piece of an answer shown under a search result, with the matched words marked. */

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * About `width` characters of `text` around the first match, HTML-escaped, each matched word inside
 * <mark>. `positions` are Lunr's [start, length] of matched tokens in `text`.
 */
export function snippetOf(text: string, positions: ReadonlyArray<readonly [number, number]>, width = 180): string {
  const sorted = [...positions].sort((a, b) => a[0] - b[0]);
  const first = sorted[0]?.[0] ?? 0;
  let start = Math.max(0, first - 50);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + width);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  let html = start > 0 ? '… ' : '';
  let cursor = start;
  for (const [at, tokenLength] of sorted) {
    // Lunr's positions cover the whole token, punctuation included ("judge,"): mark only the word.
    let length = tokenLength;
    while (length > 1 && !/[\p{L}\p{N}]/u.test(text[at + length - 1])) length -= 1;
    if (at < cursor || at + length > end) continue;
    html += `${escapeHtml(text.slice(cursor, at))}<mark>${escapeHtml(text.slice(at, at + length))}</mark>`;
    cursor = at + length;
  }
  html += escapeHtml(text.slice(cursor, end)) + (end < text.length ? ' …' : '');
  return html;
}

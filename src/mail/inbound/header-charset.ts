import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { headerEnd, rawHeader } from './raw-headers';

// How far into the body to look for a part's charset when the message itself declares none.
const CHARSET_SEARCH_BYTES = 64 * 1024;
const EIGHT_BIT = /[\x80-\xff]/;
const CHARSET_PARAM = /;\s*charset\s*=\s*"?([A-Za-z0-9_.:+-]+)/i;
// Mail that says Latin-1 is written with windows-1252's extra characters (curly quotes, dashes), as
// browsers assume (WHATWG Encoding). iconv-lite, not TextDecoder: Node 20's decodes windows-1252 as Latin-1.
const LATIN_1 = /^(iso[-_ ]?8859-1|latin-?1|l1|cp819|ibm819|iso-ir-100|csisolatin1)$/;

/** The iconv-lite name of a declared charset; null for Unicode and ASCII (nothing to learn) or an unknown one. */
function usableCharset(charset: string | null): string | null {
  const label = charset?.trim().toLowerCase();
  if (!label || /^(utf-?8|us-ascii|ascii)$/.test(label)) return null;
  if (LATIN_1.test(label)) return 'windows-1252';
  return iconv.encodingExists(label) ? label : null;
}

/**
 * The charset a message declares: its Content-Type's, else the first one a body part declares
 * (a multipart message's own Content-Type has none).
 */
export function declaredCharset(raw: Buffer): string | null {
  const end = headerEnd(raw);
  const contentType = rawHeader(raw, 'content-type');
  const own = contentType ? CHARSET_PARAM.exec(contentType)?.[1] : undefined;
  if (own || end < 0) return own ?? null;
  const body = raw
    .subarray(end, end + CHARSET_SEARCH_BYTES)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  for (const match of body.matchAll(/^content-type[ \t]*:(.*)$/gim)) {
    const charset = CHARSET_PARAM.exec(match[1])?.[1];
    if (charset) return charset;
  }
  return null;
}

/**
 * Text from header bytes written raw in 8 bits rather than RFC 2047 encoded: UTF-8 when they are
 * valid UTF-8 (RFC 6532), else the message's declared charset, else windows-1252 (Latin-1's superset).
 */
export function decodeHeaderBytes(bytes: Buffer, charset: string | null): string {
  if (!EIGHT_BIT.test(bytes.toString('latin1')) || isUtf8(bytes)) return bytes.toString('utf8');
  const declared = usableCharset(charset);
  const text = declared ? iconv.decode(bytes, declared) : null;
  // A byte the declared charset has no character for: it was not written in it after all.
  if (text !== null && !text.includes('\uFFFD')) return text;
  return iconv.decode(bytes, 'windows-1252');
}

/**
 * The raw message with its header block in UTF-8. The parser reads raw 8-bit header bytes as
 * UTF-8, so a Subject or From name written in Latin-1 or Shift_JIS would become U+FFFD; each such
 * header line is decoded here (decodeHeaderBytes) instead. `raw` itself when there is nothing to do.
 */
export function headersAsUtf8(raw: Buffer): Buffer {
  const end = headerEnd(raw);
  const head = end >= 0 ? raw.subarray(0, end) : raw;
  if (!EIGHT_BIT.test(head.toString('latin1')) || isUtf8(head)) return raw;
  const charset = declaredCharset(raw);
  const lines: Buffer[] = [];
  // Line by line: each line keeps its own line end, and one header in UTF-8 beside another in the
  // declared charset is read right.
  for (let at = 0; at < head.length;) {
    const newline = head.indexOf(0x0a, at);
    const next = newline === -1 ? head.length : newline + 1;
    const line = head.subarray(at, next);
    lines.push(EIGHT_BIT.test(line.toString('latin1')) ? Buffer.from(decodeHeaderBytes(line, charset), 'utf8') : line);
    at = next;
  }
  return Buffer.concat(end >= 0 ? [...lines, raw.subarray(end)] : lines);
}

// What a file really is, read from its first bytes (its "magic number"), not from its name: a program
// renamed report.pdf still starts like a program, not like a PDF.

const startsWith = (content: Buffer, bytes: number[], at = 0): boolean =>
  content.length >= at + bytes.length && bytes.every((b, i) => content[at + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A zip archive holding a member whose name starts with `folder` (how Office files are told apart). */
function zipWith(content: Buffer, folder: string): boolean {
  return startsWith(content, ZIP) && content.includes(Buffer.from(folder, 'latin1'));
}

/** Text: no NUL byte (every program, picture or archive has some) unless it is UTF-16 with its mark. */
function looksLikeText(content: Buffer): boolean {
  if (startsWith(content, [0xff, 0xfe]) || startsWith(content, [0xfe, 0xff])) return true;
  return !content.includes(0);
}

// PDF readers accept the header anywhere in the first kilobyte, after junk some scanners write first.
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');

// Per MIME type: does the content look like it? A type without an entry cannot be checked, so is refused.
const CONTENT_CHECKS: Record<string, (content: Buffer) => boolean> = {
  'application/pdf': (c) => c.subarray(0, 1024).includes(PDF_HEADER),
  'image/png': (c) => startsWith(c, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (c) => startsWith(c, [0xff, 0xd8, 0xff]),
  'image/gif': (c) => startsWith(c, ascii('GIF87a')) || startsWith(c, ascii('GIF89a')),
  'image/tiff': (c) => startsWith(c, [0x49, 0x49, 0x2a, 0x00]) || startsWith(c, [0x4d, 0x4d, 0x00, 0x2a]),
  'image/heic': (c) => startsWith(c, ascii('ftyp'), 4),
  'text/plain': looksLikeText,
  'text/csv': looksLikeText,
  'application/rtf': (c) => startsWith(c, ascii('{\\rtf')),
  'application/msword': (c) => startsWith(c, OLE),
  'application/vnd.ms-excel': (c) => startsWith(c, OLE),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (c) => zipWith(c, 'word/'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (c) => zipWith(c, 'xl/'),
  'application/vnd.oasis.opendocument.text': (c) => zipWith(c, 'mimetypeapplication/vnd.oasis.opendocument.text'),
  'application/zip': (c) => startsWith(c, ZIP),
};

/** Whether a file's bytes are of the kind `type` (a canonical MIME type) says; unknown kinds never are. */
export function contentMatchesType(content: Buffer, type: string): boolean {
  const check = CONTENT_CHECKS[type];
  return check !== undefined && content.length > 0 && check(content);
}

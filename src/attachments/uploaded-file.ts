import { canonicalType, checkAttachment, extensionOf, typeOfExtension, type AttachmentLimits } from './attachment-policy';
import { contentMatchesType } from './file-content';

/** A file as a browser sent it: its name and declared type as given, its bytes, and whether it ran past the size limit. */
export interface UploadedFile {
  filename: string;
  declaredType: string;
  content: Buffer;
  /** Bytes received; past the limit reading stopped, so this is then only "more than the limit". */
  size: number;
  truncated: boolean;
}

/** A file that may be kept: a clean name, its type as its content showed it, its bytes. */
export interface AcceptedFile {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

export type UploadRefusal = 'too_large' | 'forbidden_type' | 'wrong_content' | 'empty';

export type UploadVerdict = { ok: true; file: AcceptedFile } | { ok: false; reason: UploadRefusal; filename: string };

const MAX_NAME_LENGTH = 200;

// Control characters (C0, DEL, C1) and the invisible marks that reorder text (a name shown as
// "invoice_fdp.exe" reversed into "invoice_exe.pdf"): never part of an honest file name.
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A file name safe to store and show: only the part after the last `/` or `\` (some browsers send a
 * whole path, and a name must never point elsewhere), without control or direction characters, with
 * spaces tidied and no leading dots, at most 200 characters (the extension kept). Names are cleaned,
 * not refused: the filer cannot see what is wrong with a name their computer gave. "attachment" when
 * nothing is left.
 */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(HIDDEN_CHARACTERS, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (name.length > MAX_NAME_LENGTH) {
    const extension = extensionOf(name);
    const tail = extension && extension.length <= 10 ? `.${extension}` : '';
    name = `${name.slice(0, MAX_NAME_LENGTH - tail.length).trimEnd()}${tail}`;
  }
  return name || 'attachment';
}

/**
 * Whether an uploaded file may be kept, under the same limits as email attachments: size, then kind
 * by name and declared type (the email policy), then kind by content, which must be what the name
 * says (an executable renamed .pdf is refused).
 */
export function checkUploadedFile(file: UploadedFile, limits: AttachmentLimits): UploadVerdict {
  const filename = cleanFileName(file.filename);
  if (file.truncated || file.size > limits.maxBytes) return { ok: false, reason: 'too_large', filename };
  const verdict = checkAttachment({ filename, contentType: file.declaredType, size: file.size }, limits);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, filename };
  if (file.size === 0) return { ok: false, reason: 'empty', filename };
  const expected = typeOfExtension(extensionOf(filename)) ?? canonicalType(file.declaredType);
  if (!contentMatchesType(file.content, expected)) return { ok: false, reason: 'wrong_content', filename };
  return { ok: true, file: { filename, contentType: expected, size: file.size, content: file.content } };
}

/** A size in words for filers and staff, in their language: "820 KB", "2.4 MB" / "2,4 MB". */
export function describeFileSize(bytes: number, language = 'en'): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const megabytes = new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
  return `${megabytes} MB`;
}

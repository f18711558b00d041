/** What an attachment is judged on: its name, declared MIME type and size in bytes. */
export type AttachmentFacts = { filename: string | undefined; contentType: string; size: number };

/** The configured limits: bytes per file and the MIME types accepted. */
export type AttachmentLimits = { maxBytes: number; allowedTypes: string[] };

/** Whether the helpdesk keeps an attachment, and if not, why, in words a filer understands. */
export type AttachmentVerdict = { ok: true } | { ok: false; reason: 'too_large' | 'forbidden_type'; message: string };

/** 10 MB per file; PDF, pictures, plain text, CSV, Word and RTF. */
export const DEFAULT_ATTACHMENT_LIMITS: Readonly<AttachmentLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  allowedTypes: Object.freeze([
    'application/pdf',
    'image/png',
    'image/jpeg',
    'image/gif',
    'text/plain',
    'text/csv',
    'application/msword',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/rtf',
    // Frozen so no caller can widen the defaults by pushing to them; the cast only drops `readonly`.
  ]) as string[],
});

/** The MIME type a file name's extension stands for, if it is one we know. */
export function typeOfExtension(extension: string | null): string | undefined {
  return extension ? EXTENSION_TYPES[extension] : undefined;
}

// Programs, scripts and web pages: refused whatever type they claim and whatever is configured.
const FORBIDDEN_EXTENSIONS = new Set([
  'exe', 'bat', 'cmd', 'com', 'js', 'vbs', 'scr', 'msi', 'jar', 'ps1', 'sh', 'html', 'htm',
  'vbe', 'jse', 'wsf', 'wsh', 'hta', 'pif', 'cpl', 'lnk', 'reg', 'dll', 'psm1', 'xhtml', 'svg',
]); // prettier-ignore

// The type each known extension stands for, so a name and its declared type can be checked together.
const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  text: 'text/plain',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  rtf: 'application/rtf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  odt: 'application/vnd.oasis.opendocument.text',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

// Older or non-standard names mail programs still send for the same types.
const TYPE_ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
  'text/rtf': 'application/rtf',
  'application/csv': 'text/csv',
  'text/comma-separated-values': 'text/csv',
};

// Types that say nothing about the content; the file name has to tell then.
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/x-download']);

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'text/plain': 'plain text',
  'text/csv': 'CSV',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/rtf': 'RTF',
};

/** The MIME type without parameters, with older aliases mapped to today's name. */
export function canonicalType(contentType: string): string {
  const bare = contentType.split(';', 1)[0].trim().toLowerCase();
  return TYPE_ALIASES[bare] ?? bare;
}

/** The last extension, lowercased; trailing dots and spaces are dropped as Windows does (`a.exe.` runs). */
export function extensionOf(filename: string | undefined): string | null {
  const name = (filename ?? '').trim().replace(/[.\s]+$/, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
}

function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function describeFile(filename: string | undefined): string {
  const name = (filename ?? '').trim();
  if (!name) return 'One of your attachments';
  return `The file "${name.length > 80 ? `${name.slice(0, 77)}...` : name}"`;
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function acceptedKinds(allowed: Set<string>): string {
  const names = [...allowed].map((type) => TYPE_NAMES[type] ?? type.split('/').pop()?.toUpperCase() ?? type);
  return listInWords([...new Set(names)]);
}

function isAllowedType(facts: AttachmentFacts, allowed: Set<string>): boolean {
  const extension = extensionOf(facts.filename);
  if (extension && FORBIDDEN_EXTENSIONS.has(extension)) return false;
  const extensionType = extension ? EXTENSION_TYPES[extension] : undefined;
  // A name with an extension must name an accepted kind too: `report.exe` declared as a PDF is refused.
  if (extension && (!extensionType || !allowed.has(extensionType))) return false;
  const declared = canonicalType(facts.contentType);
  if (GENERIC_TYPES.has(declared)) return extensionType !== undefined;
  return allowed.has(declared);
}

/** Whether an attachment may be kept under `limits`: its type (declared and by extension), then its size. */
export function checkAttachment(facts: AttachmentFacts, limits: AttachmentLimits): AttachmentVerdict {
  const allowed = new Set(limits.allowedTypes.map(canonicalType));
  if (!isAllowedType(facts, allowed)) {
    return {
      ok: false,
      reason: 'forbidden_type',
      message:
        `${describeFile(facts.filename)} is a kind of file we cannot accept, so we did not keep it. ` +
        `We can accept ${acceptedKinds(allowed)} files. Please save it as one of these and send it again.`,
    };
  }
  if (facts.size > limits.maxBytes) {
    return {
      ok: false,
      reason: 'too_large',
      message:
        `${describeFile(facts.filename)} is ${describeSize(facts.size)}, which is more than the ` +
        `${describeSize(limits.maxBytes)} we can accept for each file, so we did not keep it. ` +
        'Please send a smaller copy, or split it into parts and send them in separate emails.',
    };
  }
  return { ok: true };
}

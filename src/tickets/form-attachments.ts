import type { TFunction } from 'i18next';
import type { AttachmentLimits } from '../attachments/attachment-policy';
import { canonicalType, extensionOf } from '../attachments/attachment-policy';
import { checkUploadedFile, describeFileSize, type AcceptedFile, type UploadedFile } from '../attachments/uploaded-file';
import type { FieldError } from '../errors';
import type { Language } from '../i18n/i18n';

/** At most this many files with a request or a reply (SPEC §15). */
export const MAX_FILES = 5;

/** The form field files come in, and the id of its input (error summaries link to it). */
export const FILE_FIELD = 'attachments';

// Names of the kinds filers know; a type without one is shown by its subtype (TIFF, HEIC…).
const KIND_KEYS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'text/plain': 'attachments:kinds.text',
  'text/csv': 'CSV',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/rtf': 'RTF',
};

function kindName(type: string, t: TFunction): string {
  const key = KIND_KEYS[canonicalType(type)];
  if (key?.includes(':')) return t(key);
  return key ?? (type.split('/').pop() ?? type).toUpperCase();
}

/** The kinds of file accepted, in words: "PDF, PNG, … or RTF" / "… o RTF". */
export function acceptedKinds(limits: AttachmentLimits, t: TFunction, language: Language): string {
  const names = [...new Set(limits.allowedTypes.map((type) => kindName(type, t)))];
  return new Intl.ListFormat(language, { type: 'disjunction' }).format(names);
}

/** What the file field's hint says: how many files, how large, which kinds. */
export function attachmentHint(limits: AttachmentLimits, t: TFunction, language: Language): string {
  return t('attachments:hint', {
    count: MAX_FILES,
    size: describeFileSize(limits.maxBytes, language),
    kinds: acceptedKinds(limits, t, language),
  });
}

/**
 * The files of a form, checked: those to keep, or the errors to show beside the file field in the
 * page's language. One refused file refuses them all (the filer chooses the set again), so a request
 * is never stored with part of what the filer meant to send.
 */
export function checkFormFiles(
  sent: { files: UploadedFile[]; tooMany: boolean; unreadable: boolean },
  limits: AttachmentLimits,
  t: TFunction,
  language: Language,
): { accepted: AcceptedFile[]; errors: FieldError[] } {
  const problems: string[] = [];
  if (sent.tooMany) problems.push(t('attachments:errors.tooMany', { max: MAX_FILES }));
  if (sent.unreadable) problems.push(t('attachments:errors.unreadable'));
  const accepted: AcceptedFile[] = [];
  for (const file of sent.files) {
    const verdict = checkUploadedFile(file, limits);
    if (verdict.ok) {
      accepted.push(verdict.file);
      continue;
    }
    const name = verdict.filename.length > 80 ? `${verdict.filename.slice(0, 77)}…` : verdict.filename;
    const extension = extensionOf(verdict.filename);
    problems.push(
      t(`attachments:errors.${verdict.reason}`, {
        name,
        size: describeFileSize(limits.maxBytes, language),
        kinds: acceptedKinds(limits, t, language),
        extension: extension ? extension.toUpperCase() : '',
      }),
    );
  }
  if (problems.length === 0) return { accepted, errors: [] };
  const message = `${problems.join(' ')} ${t('attachments:errors.chooseAgain')}`;
  return { accepted: [], errors: [{ field: FILE_FIELD, code: 'attachment_refused', message }] };
}

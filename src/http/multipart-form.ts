import busboy from 'busboy';
import type { Request, RequestHandler } from 'express';
import type { UploadedFile } from '../attachments/uploaded-file';
import { AppError } from '../errors';

/** What a multipart form carried besides its fields: the files, and whether more were sent than allowed. */
export interface FormFiles {
  files: UploadedFile[];
  /** More files than `maxFiles` were sent: those past it were not read. */
  tooMany: boolean;
  /**
   * The form broke off at a part that could not be read: browsers send most control characters in a
   * file name as they are, which a multipart header may not hold. The fields before it are kept.
   */
  unreadable: boolean;
}

const NO_FILES: FormFiles = Object.freeze({ files: [], tooMany: false, unreadable: false }) as FormFiles;
const filesByRequest = new WeakMap<Request, FormFiles>();

/** Whether multipartForm read this request's body (other routes refuse multipart bodies). */
export function readAsMultipart(req: Request): boolean {
  return filesByRequest.has(req);
}

/** The files a multipart form sent (none for any other request). */
export function formFiles(req: Request): FormFiles {
  return filesByRequest.get(req) ?? NO_FILES;
}

export interface MultipartOptions {
  /** The one field files are taken from; files in any other field are read past and dropped. */
  fileField: string;
  maxFiles: number;
  maxFileBytes: number;
  /**
   * Asked when the first file starts, with the fields read so far in req.body: whether to keep files
   * at all. The CSRF check (which runs after this parser) passes here first, so a forged form's files
   * are never held in memory; the form itself is refused by the CSRF check as any other.
   */
  keepFiles?: (req: Request) => boolean;
}

// Like the urlencoded parser's limits for the same forms: 50 fields of up to 100 KB.
const MAX_FIELDS = 50;
const MAX_FIELD_BYTES = 100 * 1024;

/**
 * Reads a `multipart/form-data` POST (the request form and status-page replies, SPEC §15) into
 * req.body, before the CSRF check, which reads the token from the `_csrf` field. Limits apply while
 * the body streams in: a file is read only up to `maxFileBytes` (then it is marked truncated and the
 * rest discarded), and files past `maxFiles` are not read; the form's other fields are kept either
 * way, so the page can come back with everything typed and a clear error. Other requests pass by.
 */
export function multipartForm(options: MultipartOptions): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) {
      next();
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: options.maxFileBytes,
          files: options.maxFiles,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_BYTES,
          parts: MAX_FIELDS + options.maxFiles + 1,
        },
      });
    } catch {
      next(new AppError(400, 'bad_form', 'The form could not be read. Please go back and send it again.'));
      return;
    }
    const body: Record<string, string> = Object.create(null) as Record<string, string>;
    const found: FormFiles = { files: [], tooMany: false, unreadable: false };
    let keeping: boolean | undefined;
    let failure: AppError | undefined;
    let finished = false;
    const finish = (error?: AppError) => {
      if (finished) return;
      finished = true;
      next(error);
    };
    req.body = body;

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= new AppError(413, 'payload_too_large', 'The text sent is too long.');
      if (!(name in body)) body[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      keeping ??= options.keepFiles ? options.keepFiles(req) : true;
      // Refused plainly, never dropped in silence: a form whose token is missing or comes after its
      // files (browsers send fields in page order, the token first) is refused as the CSRF check would.
      if (!keeping)
        failure ??= new AppError(403, 'csrf_invalid', 'This form has expired. Please go back, reload the page and try again.');
      // A file input left empty still sends a part, with no name and no bytes.
      if (name !== options.fileField || !keeping || !info.filename) {
        stream.resume();
        return;
      }
      const file: UploadedFile = {
        filename: info.filename,
        declaredType: info.mimeType,
        content: Buffer.alloc(0),
        size: 0,
        truncated: false,
      };
      const chunks: Buffer[] = [];
      found.files.push(file);
      stream.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
        chunks.push(chunk);
      });
      stream.on('limit', () => {
        file.truncated = true;
        chunks.length = 0;
      });
      stream.on('close', () => {
        file.content = file.truncated ? Buffer.alloc(0) : Buffer.concat(chunks);
      });
    });
    parser.on('filesLimit', () => {
      found.tooMany = true;
    });
    const tooMuch = () => {
      failure ??= new AppError(413, 'payload_too_large', 'The form has too many parts.');
    };
    parser.on('fieldsLimit', tooMuch);
    parser.on('partsLimit', tooMuch);
    parser.on('error', () => {
      req.unpipe(parser);
      req.resume();
      // Files come after the typed fields: with those read, the page can come back with them and say
      // which part failed, rather than lose everything.
      if (Object.keys(body).length === 0) {
        finish(new AppError(400, 'bad_form', 'The form could not be read. Please go back and send it again.'));
        return;
      }
      found.unreadable = true;
      filesByRequest.set(req, found);
      finish(failure);
    });
    parser.on('close', () => {
      filesByRequest.set(req, found);
      finish(failure);
    });
    req.pipe(parser);
  };
}

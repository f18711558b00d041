// Field errors in the filer's language (SPEC §14), for any form:
// 1. In the schema's MessageTable write a catalogue key instead of English: `{ email: { required: 'validation:email.required' } }`
//    (shared messages are in locales/<lang>/validation.json: generic.*, name.*, email.*, phone.*, caseNumber.*; add your own
//    form's keys to your own namespace, e.g. 'help:errors.subject.required', in both languages).
// 2. In a page handler pass the page's language: `fieldErrors(issues, table, req.body, languageOf(res))`; the JSON API omits it (English).
// 3. The views need nothing: `error.message` is already in that language. A table value that is not a known key is shown as written (staff forms).
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, Invalid, type FieldError } from '../errors';
import { readAsMultipart } from './multipart-form';
import { hasMessage, translator, type Language } from '../i18n/i18n';

/** Messages for each field and error code: catalogue keys (`validation:email.required`) or plain English. */
export type MessageTable = Record<string, Partial<Record<string, string>>>;

const GENERIC: Record<string, string> = {
  required: 'validation:generic.required',
  too_short: 'validation:generic.too_short',
  too_long: 'validation:generic.too_long',
  invalid_type: 'validation:generic.invalid_type',
  invalid: 'validation:generic.invalid',
  invalid_date: 'validation:generic.invalid_date',
  too_small: 'validation:generic.too_small',
  too_large: 'validation:generic.too_large',
};

const KEY = /^[a-z][\w-]*:[\w.-]+$/;

/** A table's message in a language: a catalogue key translated, anything else as written. */
export function messageIn(message: string, language: Language = 'en'): string {
  return KEY.test(message) && hasMessage('en', message) ? translator(language)(message) : message;
}

// Sizes of text and lists are lengths (too_short / too_long); anything else is a number or date.
const LENGTH_ORIGINS = new Set(['string', 'array', 'set', 'file']);

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function codeOf(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      return value === undefined || value === null ? 'required' : 'invalid_type';
    }
    case 'too_small':
      if (!LENGTH_ORIGINS.has(issue.origin)) return 'too_small';
      return issue.minimum === 1 ? 'required' : 'too_short';
    case 'too_big':
      return LENGTH_ORIGINS.has(issue.origin) ? 'too_long' : 'too_large';
    case 'invalid_format':
      return issue.format === 'email' ? 'invalid_email' : issue.format === 'date' ? 'invalid_date' : 'invalid';
    case 'custom':
      return String((issue.params as { code?: string } | undefined)?.code ?? 'invalid');
    default:
      return 'invalid';
  }
}

/**
 * Turns zod issues into `{field, code, message}` errors, one per field (the first problem found), the
 * messages in `language` (a page's; English for the API).
 */
export function fieldErrors(
  issues: z.core.$ZodIssue[],
  messages: MessageTable,
  input: unknown,
  language: Language = 'en',
): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || undefined;
    const key = field ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    const code = codeOf(issue, input);
    const own = field && Object.hasOwn(messages, field) ? messages[field] : undefined;
    const chosen = (own && Object.hasOwn(own, code) ? own[code] : undefined) ?? GENERIC[code];
    const message = chosen === undefined ? issue.message : messageIn(chosen, language);
    errors.push(field ? { field, code, message } : { code, message });
  }
  return errors;
}

/** Parses `input` with `schema`, or throws Invalid (400) carrying a field error for each bad field (in `language`). */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  messages: MessageTable,
  language: Language = 'en',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Invalid(fieldErrors(result.error.issues, messages, input, language));
  return result.data;
}

/** Field errors keyed by field name, as the form templates read them. */
export function errorsByField(errors: FieldError[]): Record<string, FieldError> {
  return Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field as string, e]));
}

/**
 * A table of notices chosen by a query value (`?done=sent`): a map without a prototype, so a value
 * such as `constructor` finds nothing rather than what every object inherits.
 */
export function noticeTable<K extends string>(entries: Record<K, string>): (key: unknown) => string | null {
  const table = new Map<string, string>(Object.entries(entries) as Array<[string, string]>);
  return (key) => (typeof key === 'string' ? (table.get(key) ?? null) : null);
}

// Ids are integer keys (PostgreSQL's integer: at most 2,147,483,647), written in decimal digits only.
const MAX_ID = 2_147_483_647;
const idParams = z.object({
  id: z
    .string()
    .refine((value) => /^\d{1,30}$/.test(value), { params: { code: 'invalid_type' }, abort: true })
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_ID)),
});

const ID_MESSAGES: MessageTable = {
  id: {
    invalid_type: 'validation:id.invalid_type',
    too_small: 'validation:id.not_found',
    too_large: 'validation:id.not_found',
  },
};

/** The numeric `:id` of a route; anything else is refused with 400 and a code, never reaches the database. */
export function parseId(params: Record<string, unknown>): number {
  return parseOrThrow(idParams, { id: String(params.id) }, ID_MESSAGES).id;
}

/**
 * Page forms are sent as application/x-www-form-urlencoded. A POST with another kind of body (JSON,
 * plain text) gets 415; one with no body at all is read as an empty form, so handlers always get an object.
 */
export const formBodyOnly: RequestHandler = (req, _res, next) => {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
  const empty = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;
  // A multipart form is taken only where multipartForm read it (the forms that take files).
  if (!empty && !req.is('application/x-www-form-urlencoded') && !readAsMultipart(req)) {
    return next(
      new AppError(
        415,
        'unsupported_media_type',
        'Please send the form from its page on this site (the form data was not understood).',
      ),
    );
  }
  if (req.body === undefined || req.body === null || typeof req.body !== 'object')
    req.body = Object.create(null) as Record<string, unknown>;
  next();
};

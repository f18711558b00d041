import { z } from 'zod';
import type { MessageTable } from '../http/validate';
import type { AnswerFields } from './faq-document';

// The staff pages take up to 2 MB of form (app.ts): the body's own limit (faq-answer-check.ts) then
// answers a pasted book with a sentence beside the field, not a bare "too large" page.
const text = (max: number) => z.string().max(max).optional().default('');

/** The answer editor's form, as sent: every field text. */
export const answerFormSchema = z.object({
  id: text(200),
  title: text(1000),
  category: text(200),
  keywords: text(5000),
  asks: text(20_000),
  related: text(2000),
  body: text(2_000_000),
  /** The published version the editor started from (empty for none): a publication on top of another is refused. */
  baseNumber: z
    .string()
    .regex(/^\d{0,9}$/)
    .optional()
    .default(''),
});

export type AnswerForm = z.infer<typeof answerFormSchema>;

export const answerFormMessages: MessageTable = {
  id: { too_long: 'The address is too long.' },
  title: { too_long: 'The question is too long.' },
  keywords: { too_long: 'Too many keywords.' },
  asks: { too_long: 'Too many "people ask" questions.' },
  related: { too_long: 'Too many related answers.' },
  body: { too_long: 'The answer is far too long.' },
  baseNumber: { invalid: 'Open the answer again and redo your change.' },
};

/** The restore form: which version to bring back. */
export const restoreFormSchema = z.object({
  number: z.coerce.number().int().min(1).max(1_000_000_000),
});

export const restoreMessages: MessageTable = {
  number: { invalid: 'Choose a version.', invalid_type: 'Choose a version.', too_small: 'Choose a version.' },
};

/** The synonyms form: the whole table, one line per group. */
export const synonymsFormSchema = z.object({ lines: text(200_000) });

export const synonymsMessages: MessageTable = { lines: { too_long: 'The list is too long.' } };

/** The search analytics' date range (YYYY-MM-DD, inclusive). */
export const searchesQuerySchema = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export const searchesMessages: MessageTable = {
  from: { invalid_date: 'Give the first day as YYYY-MM-DD.' },
  to: { invalid_date: 'Give the last day as YYYY-MM-DD.' },
};

const splitList = (value: string, separator: RegExp) =>
  value
    .split(separator)
    .map((item) => item.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** The form's fields as front matter: keywords separated by commas, "people ask" one per line, related ids by commas or spaces. */
export function fieldsOfForm(form: AnswerForm, id: string): AnswerFields {
  return {
    id,
    title: form.title.replace(/\s+/g, ' ').trim(),
    category: form.category.trim(),
    keywords: [...new Set(splitList(form.keywords, /[,\n]/))],
    asks: [...new Set(splitList(form.asks, /\r?\n/))],
    related: [...new Set(splitList(form.related, /[\s,]+/))],
  };
}

/** The form filled in from an answer's fields and body (to edit it). */
export function formOfFields(fields: AnswerFields, body: string, baseNumber: number | null): AnswerForm {
  return {
    id: fields.id,
    title: fields.title,
    category: fields.category,
    keywords: fields.keywords.join(', '),
    asks: fields.asks.join('\n'),
    related: fields.related.join(', '),
    body,
    baseNumber: baseNumber === null ? '' : String(baseNumber),
  };
}

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { parseCaseNumber } from '../case-numbers/find-case-numbers';
import type { MessageTable } from '../http/validate';
import { emailSchema } from './email.schema';

/** An optional field: a blank string counts as not given. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

/** A phone number a person can be called back on; stored in E.164. */
export const phoneSchema = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const phone = parsePhoneNumberFromString(value, 'US');
    if (!phone || !phone.isValid()) {
      ctx.addIssue({ code: 'custom', params: { code: 'invalid_phone' }, message: 'invalid phone' });
      return z.NEVER;
    }
    return phone.number as string;
  });

/** A new help request, from the web form or `POST /api/tickets`. */
export const newTicketSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: emailSchema,
  phone: optional(phoneSchema),
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20000),
  caseNumber: optional(
    z
      .string()
      .trim()
      .max(60)
      .refine((value) => parseCaseNumber(value) !== null, {
        params: { code: 'invalid_case_number' },
        message: 'invalid case number',
      }),
  ),
});

export type NewTicketInput = z.infer<typeof newTicketSchema>;

/** A filer's reply from the status page. */
export const replySchema = z.object({ body: z.string().trim().min(1).max(20000) });

// Catalogue keys (locales/<language>/validation.json): a page shows them in its language (see http/validate.ts).
export const ticketMessages: MessageTable = {
  name: { required: 'validation:name.required', too_long: 'validation:name.too_long' },
  email: {
    required: 'validation:email.required',
    invalid_email: 'validation:email.invalid_email',
    too_long: 'validation:email.too_long',
  },
  phone: { invalid_phone: 'validation:phone.invalid_phone', too_long: 'validation:phone.too_long' },
  subject: { required: 'validation:subject.required', too_long: 'validation:subject.too_long' },
  body: { required: 'validation:body.required', too_long: 'validation:body.too_long' },
  caseNumber: { invalid_case_number: 'validation:caseNumber.invalid_case_number', too_long: 'validation:caseNumber.too_long' },
};

export const replyMessages: MessageTable = {
  body: { required: 'validation:reply.required', too_long: 'validation:reply.too_long' },
};

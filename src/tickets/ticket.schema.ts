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

export const ticketMessages: MessageTable = {
  name: { required: 'Please tell us your name.', too_long: 'Please keep your name under 200 characters.' },
  email: {
    required: 'Please give an email address so we can answer you.',
    invalid_email: 'This does not look like an email address. Check it, for example name@example.com.',
    too_long: 'This email address is too long.',
  },
  phone: {
    invalid_phone: 'This does not look like a phone number we can call. Include the area code, for example (206) 555-0142.',
    too_long: 'This phone number is too long.',
  },
  subject: { required: 'Please give your request a short subject.', too_long: 'Please keep the subject under 200 characters.' },
  body: {
    required: 'Please describe what happened or what you need.',
    too_long: 'Please keep the description under 20,000 characters. You can send more in a reply.',
  },
  caseNumber: {
    invalid_case_number:
      'We could not read this case number. Write it as it appears on the docket, for example 3:20-cv-01234-JST, or leave it empty.',
    too_long: 'This case number is too long.',
  },
};

export const replyMessages: MessageTable = {
  body: { required: 'Please write your reply before sending it.', too_long: 'Please keep your reply under 20,000 characters.' },
};

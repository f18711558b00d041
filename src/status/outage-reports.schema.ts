import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseCaseNumber } from '../case-numbers/find-case-numbers';
import type { MessageTable } from '../http/validate';
import { emailSchema } from '../tickets/email.schema';
import { phoneSchema } from '../tickets/ticket.schema';
import { isOutageScope, OUTAGE_SCOPES, type OutageScope } from './outage-scopes';

/** A time a little ahead of this server's clock (the filer's clock) is read as now. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** A report is about a problem seen recently: a time further back is a typing mistake. */
const OLDEST_OBSERVATION_MS = 366 * 24 * 3_600_000;

/** An optional field: a blank string counts as not given. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

/**
 * When the filer saw the problem: ISO-8601, with an offset or read in the court's zone (a browser's
 * date-and-time field sends 2026-12-03T08:50); never in the future. A UTC ISO string.
 */
function observedAtSchema(timezone: string, now: Date) {
  return z.unknown().transform((value, ctx) => {
    const parsed = typeof value === 'string' ? DateTime.fromISO(value.trim(), { zone: timezone }) : null;
    if (!parsed?.isValid) {
      ctx.addIssue({ code: 'custom', params: { code: 'invalid_time' }, message: 'invalid time' });
      return z.NEVER;
    }
    const at = parsed.toMillis();
    if (at > now.getTime() + CLOCK_SKEW_MS) {
      ctx.addIssue({ code: 'custom', params: { code: 'in_future' }, message: 'in the future' });
      return z.NEVER;
    }
    if (at < now.getTime() - OLDEST_OBSERVATION_MS) {
      ctx.addIssue({ code: 'custom', params: { code: 'too_long_ago' }, message: 'too long ago' });
      return z.NEVER;
    }
    return new Date(Math.min(at, now.getTime())).toISOString();
  });
}

/** A filer's report of a problem, from `/status/report` or `POST /api/status/reports`, checked at `now`. */
export function outageReportSchema(timezone: string, now: Date) {
  // In the order of the form, so that its error summary lists problems as the page shows them.
  return z.object({
    scope: z
      .string()
      .refine((value) => isOutageScope(value), { params: { code: 'unknown_scope' } })
      .transform((value) => value as OutageScope),
    observedAt: optional(observedAtSchema(timezone, now)),
    description: z.string().trim().min(1).max(20000),
    name: z.string().trim().min(1).max(200),
    email: emailSchema,
    phone: optional(phoneSchema),
    caseNumber: optional(
      z
        .string()
        .trim()
        .max(60)
        .refine((value) => parseCaseNumber(value) !== null, { params: { code: 'invalid_case_number' } }),
    ),
  });
}

export type OutageReportInput = z.infer<ReturnType<typeof outageReportSchema>>;

export const outageReportMessages: MessageTable = {
  name: { required: 'Please tell us your name.', too_long: 'Please keep your name under 200 characters.' },
  email: {
    required: 'Please give an email address: we send your receipt there.',
    invalid_email: 'This does not look like an email address. Check it, for example name@example.com.',
    too_long: 'This email address is too long.',
  },
  phone: {
    invalid_phone: 'This does not look like a phone number we can call. Include the area code, for example (206) 555-0142.',
    too_long: 'This phone number is too long.',
  },
  caseNumber: {
    invalid_case_number:
      'We could not read this case number. Write it as it appears on the docket, for example 3:20-cv-01234-JST, or leave it empty.',
    too_long: 'This case number is too long.',
  },
  scope: {
    required: 'Please choose what is not working.',
    invalid_type: 'Please choose what is not working.',
    unknown_scope: `Please choose what is not working: one of ${OUTAGE_SCOPES.join(', ')}.`,
  },
  description: {
    required: 'Please describe what happened: what you were trying to do and what you saw.',
    too_long: 'Please keep the description under 20,000 characters.',
  },
  observedAt: {
    invalid_time: 'We could not read this date and time. Write it like 2026-12-03T09:05, or leave it empty.',
    in_future: 'This time is in the future. Give the time you saw the problem, or leave it empty if it is now.',
    too_long_ago: 'This time is more than a year ago. Please check the date.',
  },
};

import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseCaseNumber } from '../case-numbers/find-case-numbers';
import type { MessageTable } from '../http/validate';
import { emailSchema } from '../tickets/email.schema';
import { phoneSchema } from '../tickets/ticket.schema';
import { isOutageScope, type OutageScope } from './outage-scopes';

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

// Catalogue keys (locales/<language>/validation.json): the page shows them in its language.
export const outageReportMessages: MessageTable = {
  name: { required: 'validation:name.required', too_long: 'validation:name.too_long' },
  email: {
    required: 'validation:email.requiredForReceipt',
    invalid_email: 'validation:email.invalid_email',
    too_long: 'validation:email.too_long',
  },
  phone: { invalid_phone: 'validation:phone.invalid_phone', too_long: 'validation:phone.too_long' },
  caseNumber: { invalid_case_number: 'validation:caseNumber.invalid_case_number', too_long: 'validation:caseNumber.too_long' },
  scope: {
    required: 'validation:report.scopeRequired',
    invalid_type: 'validation:report.scopeRequired',
    unknown_scope: 'validation:report.scopeUnknown',
  },
  description: { required: 'validation:report.descriptionRequired', too_long: 'validation:report.descriptionTooLong' },
  observedAt: {
    invalid_time: 'validation:report.invalid_time',
    in_future: 'validation:report.in_future',
    too_long_ago: 'validation:report.too_long_ago',
  },
};

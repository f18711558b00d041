import { DateTime } from 'luxon';
import { z } from 'zod';
import type { MessageTable } from '../http/validate';
import { isAuditAction } from './audit-actions';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = z.string().refine((v) => DATE.test(v) && DateTime.fromISO(v).isValid, { params: { code: 'invalid' } });
// A form sends an empty field as "": read as not given.
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The filters of /staff/audit, from the query string. */
export const auditQuerySchema = z
  .object({
    actor: optional(z.string().trim().max(200)),
    action: optional(z.string().refine(isAuditAction, { params: { code: 'unknown_action' } })),
    from: optional(date),
    to: optional(date),
    reference: optional(z.string().trim().max(100)),
    before: optional(z.coerce.number().int().min(1).max(2_147_483_647)),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], params: { code: 'before_from' } });

export type AuditQueryInput = z.infer<typeof auditQuerySchema>;

export const auditQueryMessages: MessageTable = {
  actor: { invalid_type: 'Give one name or actor.', too_long: 'Write at most 200 characters.' },
  action: { unknown_action: 'Choose an action from the list.', invalid_type: 'Choose one action.' },
  from: { invalid: 'Write the date as YYYY-MM-DD, for example 2026-11-01.', invalid_type: 'Give one date.' },
  to: {
    invalid: 'Write the date as YYYY-MM-DD, for example 2026-11-30.',
    invalid_type: 'Give one date.',
    before_from: 'The end date must not come before the start date.',
  },
  reference: { invalid_type: 'Give one reference.', too_long: 'Write at most 100 characters.' },
  before: { invalid: 'This page link is not valid: start again from the first page.' },
};

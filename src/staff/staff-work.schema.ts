import { z } from 'zod';
import type { MessageTable } from '../http/validate';
import { TICKET_STATUSES } from '../tickets/ticket.types';

export const queueQuerySchema = z.object({
  status: z.enum(['active', 'all', ...TICKET_STATUSES]).catch('active'),
  owner: z.enum(['all', 'mine', 'unassigned']).catch('all'),
  hasCaseNumber: z
    .enum(['1'])
    .optional()
    .catch(undefined)
    .transform((v) => v === '1'),
  flagged: z
    .enum(['1'])
    .optional()
    .catch(undefined)
    .transform((v) => v === '1'),
  q: z.string().max(200).catch(''),
  sort: z.enum(['newest', 'oldest', 'due', 'updated']).catch('newest'),
  after: z.string().max(200).optional().catch(undefined),
});

const version = z.coerce.number().int().min(1);

export const actionSchemas = {
  claim: z.object({ version }),
  assign: z.object({
    version,
    assigneeId: z.union([z.literal(''), z.coerce.number().int().min(1)]).transform((v) => (v === '' ? null : v)),
  }),
  status: z.object({ version, status: z.enum(TICKET_STATUSES) }),
  reply: z.object({ version, body: z.string().trim().min(1).max(20000) }),
  note: z.object({ body: z.string().trim().min(1).max(20000) }),
  merge: z.object({ version, into: z.string().trim().min(1).max(40) }),
  reinstate: z.object({ version }),
  decline: z.object({ version, category: z.enum(['legal_advice', 'judge_contact']) }),
  'dismiss-review': z.object({ version }),
};

/** Plain-language messages for the staff actions' fields. */
export const actionMessages: MessageTable = {
  body: { required: 'Write something before sending.' },
  category: { invalid: 'Choose why the request is declined: legal advice or judge contact.' },
};

/** The callbacks board after an outcome: `moved` is the new time of a call that was not answered. */
export const boardQuerySchema = z.object({
  moved: z
    .string()
    .refine((value) => z.iso.datetime({ offset: true }).safeParse(value).success, { params: { code: 'invalid_date' } })
    .optional(),
  done: z.unknown().optional(),
});

export const boardQueryMessages: MessageTable = {
  moved: { invalid_date: 'moved must be a date and time such as 2027-03-10T10:00:00-08:00.' },
};

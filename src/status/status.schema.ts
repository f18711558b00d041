import { z } from 'zod';
import type { MessageTable } from '../http/validate';

// Times are checked by the outage service (it reads them in the court's zone); here only their shape.
const optionalText = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v) => (v ? v : undefined));

export const historyQuerySchema = z.object({ from: optionalText, to: optionalText });

export const statusPageQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

/** The staff form that declares an outage: `startedAt` is a local time (datetime-local) or empty for now. */
export const declareFormSchema = z.object({ scope: z.string(), message: z.string(), startedAt: optionalText });
export const updateFormSchema = z.object({ message: z.string() });
export const endFormSchema = z.object({ endedAt: optionalText });

export const statusMessages: MessageTable = {
  from: { too_long: 'from must be a date or date and time in ISO-8601, such as 2026-11-01.', invalid_type: 'Give from once.' },
  to: { too_long: 'to must be a date or date and time in ISO-8601, such as 2026-11-30.', invalid_type: 'Give to once.' },
  page: { invalid: 'page must be a whole number.', too_small: 'page starts at 1.', too_large: 'There are not that many pages.' },
  scope: { required: 'Choose what is affected.', invalid_type: 'Choose what is affected.' },
  message: { required: 'Please write the public message.', invalid_type: 'Please write the public message.' },
  startedAt: { too_long: 'Write the time as a date and time.' },
  endedAt: { too_long: 'Write the time as a date and time.' },
};

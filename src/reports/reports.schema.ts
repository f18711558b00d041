import { z } from 'zod';
import type { MessageTable } from '../http/validate';

// An empty field of the form (no topic chosen, no tag typed) is no filter.
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The report's address: `from` and `to` (court dates, inclusive), and an optional topic and tag. */
export const reportQuerySchema = z.object({
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
  topic: optional(z.string().max(100)),
  tag: optional(z.string().max(100)),
});

export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const reportMessages: MessageTable = {
  from: {
    invalid_date: 'Give the first day as a date, such as 2026-11-01.',
    invalid_type: 'Give one first day.',
  },
  to: {
    invalid_date: 'Give the last day as a date, such as 2026-11-30.',
    invalid_type: 'Give one last day.',
  },
  topic: { invalid_type: 'Choose one topic from the list.', too_long: 'Choose a topic from the list.' },
  tag: { invalid_type: 'Give one tag.', too_long: 'A tag is at most 40 characters.' },
};

import { z } from 'zod';
import type { MessageTable } from '../http/validate';
import { emailSchema } from '../tickets/email.schema';
import { phoneSchema } from '../tickets/ticket.schema';

export const slotsQuerySchema = z.object({
  // A real calendar date: 2026-02-30 and 2026-13-45 are refused (invalid_date), not read as no slots.
  from: z.iso.date().optional(),
  days: z.coerce.number().int().min(1).max(60).default(7),
});

export const bookingSchema = z.object({
  name: z.string().trim().min(1).max(200),
  phone: phoneSchema,
  email: emailSchema,
  start: z.iso.datetime({ offset: true }),
  ticketReference: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? v : undefined)),
  topic: z.string().trim().max(500).optional(),
});

export const bookingMessages: MessageTable = {
  name: { required: 'Please tell us your name.' },
  phone: {
    required: 'Please give a phone number we can call.',
    invalid_phone: 'This does not look like a phone number we can call. Include the area code.',
  },
  email: {
    required: 'Please give your email address for the confirmation.',
    invalid_email: 'This does not look like an email address.',
  },
  start: { required: 'Please choose a time.', invalid: 'Choose one of the times offered.' },
  from: { invalid_date: 'from must be a real date written YYYY-MM-DD.' },
  days: {
    too_large: 'days is limited to 60.',
    too_small: 'days must be at least 1.',
    invalid_type: 'days must be a whole number.',
  },
};

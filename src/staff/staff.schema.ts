import { z } from 'zod';
import { emailSchema } from '../tickets/email.schema';
import type { MessageTable } from '../http/validate';

export const signInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(500),
  next: z.string().optional(),
});

/** At least 12 characters: long passphrases beat complexity rules. */
export const passwordSchema = z.string().min(12).max(500);

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  role: z.enum(['agent', 'admin']),
  password: passwordSchema,
});

export const staffMessages: MessageTable = {
  email: { required: 'Enter the email address.', invalid_email: 'Enter a valid email address, for example name@example.gov.' },
  name: { required: 'Enter the name.' },
  role: { invalid: 'Choose agent or admin.', required: 'Choose agent or admin.' },
  password: { required: 'Enter the password.', too_short: 'Use at least 12 characters; a passphrase of a few words is easiest.' },
};

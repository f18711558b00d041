import { z } from 'zod';

/**
 * An email address, trimmed and lower-cased. A module of its own: the mail reader's worker checks
 * every sender with it, and need not load the ticket form's phone number library to do so.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

import { z } from 'zod';
import { emailSchema } from '../tickets/email.schema';
import type { MessageTable } from '../http/validate';
import { isCommonPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';
import { ROLES } from './roles';

export const signInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(500),
  next: z.string().optional(),
});

/** At least 12 characters and not a common password: long passphrases beat complexity rules. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH)
  .max(MAX_PASSWORD_LENGTH)
  .refine((password) => !isCommonPassword(password), { params: { code: 'common_password' } });

/** One of the four roles (src/staff/roles.ts); anything else is refused by name. */
export const roleSchema = z.enum(ROLES);

const nameSchema = z.string().trim().min(1).max(200);

export const newUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema,
});

/** An administrator's changes to an account (/staff/users/:id). */
export const editUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
});

/** A staff member's own password change (/staff/account). */
export const passwordChangeSchema = z
  .object({
    current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    password: passwordSchema,
    confirm: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .refine((form) => form.confirm === form.password, { path: ['confirm'], params: { code: 'mismatch' } });

/** Which session to end: the hash that keys it, never the cookie itself. */
export const endSessionSchema = z.object({ session: z.string().regex(/^[0-9a-f]{64}$/) });

const CHOOSE_ROLE = `Choose a role: ${ROLES.join(', ')}.`;

export const staffMessages: MessageTable = {
  email: { required: 'Enter the email address.', invalid_email: 'Enter a valid email address, for example name@example.gov.' },
  name: { required: 'Enter the name.' },
  role: { invalid: CHOOSE_ROLE, required: CHOOSE_ROLE },
  password: {
    required: 'Enter the password.',
    too_short: 'Use at least 12 characters; a passphrase of a few words is easiest.',
    too_long: 'Use at most 500 characters.',
    common_password:
      'This password is too easy to guess: it is, or is made from, one of the most common passwords. Choose another, for example a few unrelated words.',
  },
  current: { required: 'Enter your current password.' },
  confirm: { mismatch: 'The two new passwords are not the same. Type the new password twice.' },
};

/** The notification emails a staff member chooses on /staff/account: a checkbox sends "on" when ticked, nothing when not. */
export const notificationSettingsSchema = z
  .object({ filerReplies: z.literal('on').optional(), dailySummary: z.literal('on').optional() })
  .transform((form) => ({ filerReplies: form.filerReplies === 'on', dailySummary: form.dailySummary === 'on' }));

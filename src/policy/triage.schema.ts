import { z } from 'zod';
import type { MessageTable } from '../http/validate';

export const triageSchema = z.object({
  subject: z.string().max(300).optional(),
  body: z.string().trim().min(1).max(20000),
});

export const triageMessages: MessageTable = {
  body: { required: 'Give the text of the request in body.', too_long: 'body is limited to 20,000 characters.' },
  subject: { too_long: 'subject is limited to 300 characters.' },
};

import { z } from 'zod';
import type { MessageTable } from '../http/validate';

export const triageSchema = z.object({
  subject: z.string().max(300).optional(),
  // Any text gets a decision, an empty one included (it is accepted: nothing in it to refuse).
  body: z.string().max(100_000),
});

export const triageMessages: MessageTable = {
  body: { required: 'Give the text of the request in body.', too_long: 'body is limited to 100,000 characters.' },
  subject: { too_long: 'subject is limited to 300 characters.' },
};

import { z } from 'zod';
import type { MessageTable } from '../http/validate';

/**
 * "Insert an FAQ answer": the reply form posted with the chosen answer and the draft as typed, so that
 * nothing typed is lost (without JavaScript the page comes back with the draft and the answer).
 */
export const insertAnswerSchema = z.object({
  answer: z.string().trim().min(1).max(200),
  body: z.string().max(20000).catch(''),
});

export const insertAnswerMessages: MessageTable = {
  answer: { required: 'Choose an FAQ answer to insert.', unknown_answer: 'That FAQ answer no longer exists. Choose another.' },
};

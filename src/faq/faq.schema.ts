import { z } from 'zod';
import type { MessageTable } from '../http/validate';

export const searchQuerySchema = z.object({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  mode: z.enum(['all', 'any']).default('all'),
  /** The answers' language (SPEC §14): Spanish answers are searched with Spanish stems and synonyms. */
  lang: z.enum(['en', 'es']).default('en'),
});

/** `GET /api/faq/:id?lang=es`: the Spanish version when there is one. */
export const answerQuerySchema = z.object({ lang: z.enum(['en', 'es']).default('en') });

export const feedbackSchema = z.object({
  helpful: z.enum(['yes', 'no']),
  from: z.enum(['request']).optional(),
});

export const searchMessages: MessageTable = {
  q: { too_long: 'Please search with fewer words (500 characters at most).' },
  limit: {
    invalid: 'limit must be a whole number from 1 to 50.',
    invalid_type: 'limit must be a whole number from 1 to 50.',
    too_small: 'limit must be at least 1.',
    too_large: 'limit must be 50 at most.',
  },
  mode: { invalid: 'mode must be "all" or "any".' },
  lang: { invalid: 'lang must be "en" or "es".' },
};

import type { Knex } from 'knex';

export type FaqEventKind = 'helpful' | 'not_helpful' | 'suggestion_opened' | 'request_abandoned';

export async function recordFaqEvent(db: Knex, answerId: string, kind: FaqEventKind, at: string): Promise<void> {
  await db('faq_events').insert({ answer_id: answerId, kind, created_at: at });
}

/** Counts of each kind of event per answer, for staff. */
export async function faqEventCounts(db: Knex): Promise<Map<string, Partial<Record<FaqEventKind, number>>>> {
  const rows = (await db('faq_events').select('answer_id', 'kind').count({ n: '*' }).groupBy('answer_id', 'kind')) as Array<{
    answer_id: string;
    kind: FaqEventKind;
    n: number | string;
  }>;
  const counts = new Map<string, Partial<Record<FaqEventKind, number>>>();
  for (const row of rows) {
    const entry = counts.get(row.answer_id) ?? {};
    entry[row.kind] = Number(row.n);
    counts.set(row.answer_id, entry);
  }
  return counts;
}

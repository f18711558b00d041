// What the queue and the ticket page say beside a ticket: why it waits for review, how late its
// first response is.

/** What a staff member reads in the queue and on the ticket for a request the scope guard was unsure of. */
export function reviewLabel(reasons: Array<{ rule: string; category?: string }>): string {
  const categories = new Set(reasons.map((r) => r.category));
  if (categories.has('judge_contact') && !categories.has('legal_advice')) return 'Needs review: may ask us to contact a judge';
  if (categories.has('legal_advice') && !categories.has('judge_contact')) return 'Needs review: may ask for legal advice';
  return 'Needs review: may ask for legal advice or to contact a judge';
}

/** How late a ticket's first response is as of `now`: overdue, due within the hour, fine, or none (answered or no target). */
export function firstResponseState(
  dueAt: string | null,
  respondedAt: string | null,
  now: Date,
): 'overdue' | 'soon' | 'ok' | 'none' {
  if (!dueAt || respondedAt) return 'none';
  const left = Date.parse(dueAt) - now.getTime();
  return left < 0 ? 'overdue' : left < 3_600_000 ? 'soon' : 'ok';
}

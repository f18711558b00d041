/** The human-friendly reference of ticket `id` created in `year`: `HD-2026-000123`. */
export function formatReference(year: number, id: number): string {
  return `HD-${year}-${String(id).padStart(6, '0')}`;
}

/** Finds a `[HD-2026-000123]` style reference in a subject line. */
export function referenceInSubject(subject: string): string | null {
  const match = /\[(HD-\d{4}-\d{6,})\]/i.exec(subject);
  return match ? match[1].toUpperCase() : null;
}

/** The ticket id and year of a reference such as `HD-2026-000123`, or null when it is not one. */
export function parseReference(reference: string): { year: number; id: number } | null {
  const match = /^HD-(\d{4})-(\d{6,})$/i.exec(reference.trim());
  return match ? { year: Number(match[1]), id: Number(match[2]) } : null;
}

import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

/** One row of the audit log as stored. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actor_name: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: string | null;
  address: string | null;
}

export type NewAuditRow = Omit<AuditRow, 'id'>;

/** Appends one entry; the database refuses any later change to it. */
export async function insertEntry(q: Q, row: NewAuditRow): Promise<number> {
  const [inserted] = (await q('audit_log').insert(row).returning('id')) as Array<{ id: number }>;
  return inserted.id;
}

/** A staff member's name now, kept with an entry recorded by their id alone. */
export async function staffName(q: Q, id: number): Promise<string | undefined> {
  const row = (await q('staff_users').where({ id }).first('name')) as { name: string } | undefined;
  return row?.name;
}

export interface AuditQuery {
  /** An actor (`staff:3`, `system`, `cli`, `anonymous`) exactly, or words of a staff member's name. */
  actor?: string;
  action?: string;
  /** UTC instants: from (inclusive) and to (exclusive). */
  from?: string;
  to?: string;
  /** A ticket's reference or the id of the row concerned, exactly. */
  subject?: string;
  /** Keyset paging: entries older than this id. */
  before?: number;
  limit: number;
}

const ACTOR_ID = /^(staff:\d+|system|cli|anonymous)$/;
const likeWords = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Entries matching the filters, newest first, one page (keyset on id). */
export async function listEntries(q: Q, filters: AuditQuery): Promise<AuditRow[]> {
  const query = q('audit_log').orderBy('id', 'desc').limit(filters.limit);
  if (filters.actor) {
    if (ACTOR_ID.test(filters.actor)) query.where('actor', filters.actor);
    else query.whereRaw(`lower(actor_name) LIKE ? ESCAPE '\\'`, [likeWords(filters.actor)]);
  }
  if (filters.action) query.where('action', filters.action);
  if (filters.from) query.where('at', '>=', filters.from);
  if (filters.to) query.where('at', '<', filters.to);
  if (filters.subject) query.where('subject_id', filters.subject);
  if (filters.before) query.where('id', '<', filters.before);
  return (await query) as AuditRow[];
}

/** Entries recorded from `since` on, oldest first, after id `afterId`: one page of an export. */
export async function entriesAfter(q: Q, afterId: number, options: { since?: string; limit: number }): Promise<AuditRow[]> {
  const query = q('audit_log').where('id', '>', afterId).orderBy('id').limit(options.limit);
  if (options.since) query.where('at', '>=', options.since);
  return (await query) as AuditRow[];
}

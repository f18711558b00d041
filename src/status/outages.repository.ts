import type { Knex } from 'knex';

/** A row of `outages`: times are ISO-8601 UTC strings; `ended_at` is null while the outage is on. */
export interface OutageRow {
  id: number;
  scope: string;
  message: string;
  started_at: string;
  ended_at: string | null;
  declared_by: string;
  created_at: string;
}

/** What was done to an outage: appended, never changed. */
export type OutageEventKind = 'declared' | 'updated' | 'ended' | 'answered';

export interface OutageEventRow {
  id: number;
  outage_id: number;
  kind: OutageEventKind;
  message: string | null;
  effective_at: string;
  actor: string;
  recorded_at: string;
}

/** An outage with how many filers reported it and when it last changed (its latest event). */
export type OutageHistoryRow = OutageRow & { reports: number; changed_at: string };

const OUTAGE_COLUMNS = ['id', 'scope', 'message', 'started_at', 'ended_at', 'declared_by', 'created_at'];

/** Inserts an outage; the partial unique index refuses a second active outage of its scope. */
export async function insertOutage(db: Knex, row: Omit<OutageRow, 'id' | 'ended_at'>): Promise<number> {
  const [inserted] = (await db('outages').insert(row).returning('id')) as Array<{ id: number }>;
  return inserted.id;
}

export async function insertEvent(db: Knex, row: Omit<OutageEventRow, 'id'>): Promise<void> {
  await db('outage_events').insert(row);
}

export async function findOutage(db: Knex, id: number): Promise<OutageRow | undefined> {
  return (await db('outages').where({ id }).first(OUTAGE_COLUMNS)) as OutageRow | undefined;
}

/** The active outage of a scope, if any (there is at most one). */
export async function findActiveByScope(db: Knex, scope: string): Promise<OutageRow | undefined> {
  return (await db('outages').where({ scope }).whereNull('ended_at').first(OUTAGE_COLUMNS)) as OutageRow | undefined;
}

/** Every active outage, earliest start first. */
export async function listActive(db: Knex): Promise<OutageRow[]> {
  return (await db('outages')
    .whereNull('ended_at')
    .orderBy([{ column: 'started_at' }, { column: 'id' }])
    .select(OUTAGE_COLUMNS)) as OutageRow[];
}

/** Sets the public message of an active outage; false when it has ended (or does not exist). */
export async function setMessage(db: Knex, id: number, message: string): Promise<boolean> {
  return (await db('outages').where({ id }).whereNull('ended_at').update({ message })) === 1;
}

/** Ends an active outage; false when it had ended already, so two staff ending it at once end it once. */
export async function setEnded(db: Knex, id: number, endedAt: string): Promise<boolean> {
  return (await db('outages').where({ id }).whereNull('ended_at').update({ ended_at: endedAt })) === 1;
}

/** The events of an outage, oldest first. */
export async function eventsOf(db: Knex, outageId: number): Promise<OutageEventRow[]> {
  return (await db('outage_events').where({ outage_id: outageId }).orderBy('id')) as OutageEventRow[];
}

export interface HistoryRange {
  /** Outages still on at or after this instant (UTC ISO); none: from the beginning. */
  fromIso?: string;
  /** Outages that started before this instant (UTC ISO); none: up to now. */
  toIso?: string;
  limit?: number;
  offset?: number;
}

const overlapping = (db: Knex, range: HistoryRange) => {
  const query = db('outages as o');
  if (range.toIso) query.where('o.started_at', '<', range.toIso);
  if (range.fromIso) {
    const fromIso = range.fromIso;
    query.where((q) => q.whereNull('o.ended_at').orWhere('o.ended_at', '>=', fromIso));
  }
  return query;
};

/**
 * Outages that overlap the range, latest start first, each with its count of filers' reports and the
 * time of its latest event.
 */
export async function history(db: Knex, range: HistoryRange): Promise<OutageHistoryRow[]> {
  const reports = db('outage_reports')
    .whereNotNull('outage_id')
    .select('outage_id')
    .count({ n: '*' })
    .groupBy('outage_id')
    .as('r');
  const changes = db('outage_events').select('outage_id').max({ changed_at: 'recorded_at' }).groupBy('outage_id').as('e');
  const query = overlapping(db, range)
    .leftJoin(reports, 'r.outage_id', 'o.id')
    .leftJoin(changes, 'e.outage_id', 'o.id')
    .orderBy([
      { column: 'o.started_at', order: 'desc' },
      { column: 'o.id', order: 'desc' },
    ])
    .select(OUTAGE_COLUMNS.map((c) => `o.${c}`))
    .select(db.raw('coalesce(r.n, 0) as reports'), db.raw('coalesce(e.changed_at, o.created_at) as changed_at'));
  if (range.limit !== undefined) query.limit(range.limit);
  if (range.offset) query.offset(range.offset);
  const rows = (await query) as Array<OutageHistoryRow & { reports: number | string }>;
  return rows.map((row) => ({ ...row, reports: Number(row.reports) }));
}

/** How many outages overlap the range (for paging the history). */
export async function countHistory(db: Knex, range: HistoryRange): Promise<number> {
  const [row] = (await overlapping(db, range).count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(row.n);
}

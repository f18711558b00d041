import type { Db } from '../db/knex';

/** A counter's increase for one label set (labels as canonical JSON). */
export interface CounterDelta {
  name: string;
  labels: string;
  value: number;
}

/** Adds the deltas to the stored counters, in one statement (a row is created at its first count). */
export async function addToCounters(db: Db, deltas: CounterDelta[], at: string): Promise<void> {
  if (deltas.length === 0) return;
  await db('ops_counters')
    .insert(deltas.map((d) => ({ ...d, updated_at: at })))
    .onConflict(['name', 'labels'])
    .merge({ value: db.raw('ops_counters.value + excluded.value'), updated_at: db.raw('excluded.updated_at') });
}

/** Every stored counter named `name`: label JSON and total. */
export async function readCounters(db: Db, name: string): Promise<Array<{ labels: string; value: number }>> {
  const rows = (await db('ops_counters').where({ name }).select('labels', 'value')) as Array<{
    labels: string;
    value: number | string;
  }>;
  return rows.map((r) => ({ labels: r.labels, value: Number(r.value) }));
}

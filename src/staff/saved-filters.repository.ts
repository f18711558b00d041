import type { Knex } from 'knex';

/** A staff member's saved queue filter: a name and the queue's query string (without "?"). */
export interface SavedFilter {
  id: number;
  name: string;
  query: string;
}

/** Saved filters kept per person, at most this many. */
export const SAVED_FILTERS_MAX = 30;

/** One staff member's saved filters, by name. */
export async function listSavedFilters(db: Knex, staffId: number): Promise<SavedFilter[]> {
  return (await db('saved_filters')
    .where({ staff_user_id: staffId })
    .orderBy('name')
    .select('id', 'name', 'query')) as SavedFilter[];
}

/**
 * Saves a filter under `name` for this staff member; a filter of the same name is replaced. False,
 * and nothing saved, when the person has SAVED_FILTERS_MAX already and the name is a new one.
 */
export async function saveFilter(db: Knex, staffId: number, name: string, query: string, at: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const replaced = await trx('saved_filters').where({ staff_user_id: staffId, name }).update({ query, created_at: at });
    if (replaced > 0) return true;
    const [{ n }] = (await trx('saved_filters').where({ staff_user_id: staffId }).count({ n: '*' })) as Array<{
      n: number | string;
    }>;
    if (Number(n) >= SAVED_FILTERS_MAX) return false;
    // Two saves of one new name at once: the unique key keeps one, the other replaces it.
    await trx('saved_filters')
      .insert({ staff_user_id: staffId, name, query, created_at: at })
      .onConflict(['staff_user_id', 'name'])
      .merge({ query, created_at: at });
    return true;
  });
}

/** Deletes one of this staff member's saved filters; false when they have none with this id. */
export async function deleteSavedFilter(db: Knex, staffId: number, id: number): Promise<boolean> {
  return (await db('saved_filters').where({ id, staff_user_id: staffId }).delete()) > 0;
}

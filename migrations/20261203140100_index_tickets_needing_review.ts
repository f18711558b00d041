import type { Knex } from 'knex';

// The staff queue lists active requests waiting for review first (SPEC §8): this index keeps finding
// them cheap however many tickets there are. The queue writes the same condition, literally, so that
// SQLite and PostgreSQL can both see that the index holds every row it asks for.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX tickets_active_needs_review ON tickets (id) WHERE status IN ('new', 'open', 'waiting') AND flags LIKE '%"needs_review"%'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tickets_active_needs_review');
}

import type { Knex } from 'knex';

// Counters that every process adds to (job runs, scope-guard outcomes), kept in the database so that
// GET /metrics on any web process reports what the mail and jobs processes did too. One row per
// counter and label set; processes add their counts every few seconds in one upsert.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ops_counters', (t) => {
    t.string('name', 100).notNullable();
    t.string('labels', 300).notNullable(); // canonical JSON of the label values, e.g. {"job":"callback-expiry","outcome":"ran"}
    t.bigInteger('value').notNullable().defaultTo(0);
    t.string('updated_at', 30).notNullable();
    t.primary(['name', 'labels']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ops_counters');
}

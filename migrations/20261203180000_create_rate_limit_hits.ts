import type { Knex } from 'knex';

// Public POSTs counted per address in the database, so that every web process sees the same count.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_hits', (t) => {
    t.string('key', 100).primary();
    t.integer('hits').notNullable();
    // When the count starts again, in milliseconds since 1970 (compared as a number on both databases).
    t.bigInteger('reset_at').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_hits');
}

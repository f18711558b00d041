import type { Knex } from 'knex';

// A staff member's saved queue filters: a name and the queue's query string, kept per person.
// One name once per person (saving under an existing name replaces the query).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_filters', (t) => {
    t.increments('id').primary();
    t.integer('staff_user_id').notNullable().references('id').inTable('staff_users').onDelete('CASCADE');
    t.string('name', 80).notNullable();
    t.string('query', 1000).notNullable(); // the queue's query string, without the leading '?'
    t.string('created_at', 30).notNullable();
    t.unique(['staff_user_id', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saved_filters');
}

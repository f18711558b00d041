import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('faq_events', (t) => {
    t.increments('id').primary();
    t.string('answer_id', 100).notNullable();
    // helpful | not_helpful | suggestion_opened | request_abandoned
    t.string('kind', 24).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['answer_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('faq_events');
}

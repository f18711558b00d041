import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    // Why the scope guard refused or flagged the request: [{rule, excerpt}].
    t.text('policy_reasons').notNullable().defaultTo('[]');
  });
  // What privacy masking replaced, kept only for administrators (Fed. R. Civ. P. 5.2).
  await knex.schema.createTable('private_originals', (t) => {
    t.increments('id').primary();
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.integer('message_id').references('id').inTable('ticket_messages').onDelete('CASCADE');
    t.string('field', 10).notNullable(); // subject | body
    t.text('original').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['ticket_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('private_originals');
  await knex.schema.alterTable('tickets', (t) => {
    t.dropColumn('policy_reasons');
  });
}

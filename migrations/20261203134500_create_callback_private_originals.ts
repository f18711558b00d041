import type { Knex } from 'knex';

// What privacy masking replaced in a callback's topic, kept only for administrators (Fed. R. Civ. P.
// 5.2), apart from the callbacks table so that no query of bookings carries it by accident.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('callback_private_originals', (t) => {
    t.increments('id').primary();
    t.integer('callback_id').notNullable().references('id').inTable('callbacks').onDelete('CASCADE');
    t.string('field', 10).notNullable(); // topic
    t.text('original').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['callback_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('callback_private_originals');
}

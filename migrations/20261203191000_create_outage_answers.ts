import type { Knex } from 'knex';

// Staff answer all filers' reports of an outage at once. Each answer is kept once, found again by the
// one-time key of the form that sent it (a second submission of the same form finds the first), and
// each report it reached is noted in the same commit as its reply, so an answer sent twice, or resumed
// after a failure, reaches every report exactly once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outage_answers', (t) => {
    t.increments('id').primary();
    t.integer('outage_id').notNullable().references('id').inTable('outages');
    t.string('form_key', 64).notNullable().unique();
    t.text('body').notNullable();
    t.integer('staff_id').notNullable().references('id').inTable('staff_users');
    t.string('created_at', 30).notNullable();
    t.index(['outage_id', 'id']);
  });
  await knex.schema.createTable('outage_answer_replies', (t) => {
    t.integer('answer_id').notNullable().references('id').inTable('outage_answers');
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('replied_at', 30).notNullable();
    t.primary(['answer_id', 'ticket_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outage_answer_replies');
  await knex.schema.dropTable('outage_answers');
}

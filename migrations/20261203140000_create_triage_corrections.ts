import type { Knex } from 'knex';

// Staff corrections of the scope guard (decline or dismiss a review flag, reinstate a refusal), kept as
// labelled examples so that the labelled data grows from real use (SPEC §8). The subject and body are
// the request as stored, already masked.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('triage_corrections', (t) => {
    t.increments('id').primary();
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('subject', 300).notNullable();
    t.text('body').notNullable();
    t.string('label', 16).notNullable(); // accept | legal_advice | judge_contact
    t.string('guard_outcome', 8).notNullable(); // accept | review | refuse
    t.integer('staff_user_id').notNullable().references('id').inTable('staff_users');
    t.string('created_at', 30).notNullable();
    t.index(['created_at', 'id']);
    t.index(['ticket_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('triage_corrections');
}

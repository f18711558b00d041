import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    t.integer('attempts').notNullable().defaultTo(0); // calls made with no answer
    t.text('staff_notes');
    t.integer('handled_by').references('id').inTable('staff_users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    t.dropColumn('handled_by');
    t.dropColumn('staff_notes');
    t.dropColumn('attempts');
  });
}

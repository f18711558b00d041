import type { Knex } from 'knex';

// The language a request was written in (en | es): acknowledgements, refusals and staff replies go
// out in it. Tickets from before this column have none; readers detect it from the text as before.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.string('language', 2);
  });
}

export async function down(knex: Knex): Promise<void> {
  // Plain SQL on both databases: knex would rebuild the table on SQLite, dropping its search triggers.
  await knex.raw('ALTER TABLE tickets DROP COLUMN language');
}

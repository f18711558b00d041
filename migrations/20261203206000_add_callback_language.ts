import type { Knex } from 'knex';

// The language a callback was booked in (en | es): its confirmation, change, cancellation and reminder
// go out in it. Bookings from before this column have none and are written to in English.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    t.string('language', 2);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    t.dropColumn('language');
  });
}

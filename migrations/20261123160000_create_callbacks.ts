import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('callbacks', (t) => {
    t.increments('id').primary();
    t.string('slot_start', 30).notNullable(); // UTC ISO instant
    t.string('slot_end', 30).notNullable();
    t.integer('seat').notNullable(); // 1..capacity: the database refuses a second booking of a seat
    t.string('status', 16).notNullable().defaultTo('booked'); // booked | cancelled | completed | no_answer | unreachable
    t.string('name', 200).notNullable();
    t.string('phone', 32).notNullable(); // E.164
    t.string('email', 320).notNullable();
    t.integer('ticket_id').references('id').inTable('tickets');
    t.string('topic', 500);
    t.string('manage_token_hash', 64).notNullable().unique();
    t.integer('ics_sequence').notNullable().defaultTo(0);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['slot_start']);
  });
  // Capacity held by the database: one live booking per (slot, seat). Cancelling frees the seat.
  await knex.raw(`CREATE UNIQUE INDEX callbacks_one_booking_per_seat ON callbacks (slot_start, seat) WHERE status = 'booked'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS callbacks_one_booking_per_seat');
  await knex.schema.dropTable('callbacks');
}

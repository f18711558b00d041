import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    // The slot a reminder was sent for: set in the transaction that queues it, so a second run skips
    // it, and a call moved to another time is reminded again.
    t.string('reminded_slot_start', 30);
    // Set when the call time has passed with no outcome recorded: the board lists it until staff do.
    t.string('needs_outcome_since', 30);
  });
  // Tickets already named in an overdue first-response alert: each is alerted once.
  await knex.schema.createTable('ticket_overdue_alerts', (t) => {
    t.integer('ticket_id').primary().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('alerted_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_overdue_alerts');
  await knex.schema.alterTable('callbacks', (t) => {
    t.dropColumn('needs_outcome_since');
    t.dropColumn('reminded_slot_start');
  });
}

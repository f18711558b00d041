import type { Knex } from 'knex';

// The ticket page lists the requester's other requests and callbacks by their email address (stored
// in one form per mailbox): without these indexes every ticket page would read both tables whole.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.index(['requester_email', 'id'], 'tickets_requester_email');
  });
  await knex.schema.alterTable('callbacks', (t) => {
    t.index(['email', 'slot_start'], 'callbacks_email');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callbacks', (t) => {
    t.dropIndex(['email', 'slot_start'], 'callbacks_email');
  });
  await knex.schema.alterTable('tickets', (t) => {
    t.dropIndex(['requester_email', 'id'], 'tickets_requester_email');
  });
}

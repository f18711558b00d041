import type { Knex } from 'knex';

// A legal hold keeps a ticket (and the tickets merged with it) from retention's deletion. The key
// points at the ticket without ON DELETE: the database itself refuses to delete a ticket on hold.
// Lifting a hold deletes its row; who set and lifted it is in audit_log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ticket_legal_holds', (t) => {
    t.integer('ticket_id').primary().references('id').inTable('tickets');
    t.string('set_by', 40).notNullable(); // staff:<id>
    t.string('set_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_legal_holds');
}

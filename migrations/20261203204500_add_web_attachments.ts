import type { Knex } from 'knex';

// Files sent with the web form or a status-page reply are kept where email attachments are, so staff
// see and download them the same way: such a row names the message it came with (ticket_message_id)
// and has no raw email behind it (inbound_mail_id null).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_attachments', (t) => {
    t.setNullable('inbound_mail_id');
  });
  await knex.schema.alterTable('mail_attachments', (t) => {
    t.integer('ticket_message_id').references('id').inTable('ticket_messages').onDelete('CASCADE');
    t.index(['ticket_message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('mail_attachments').whereNull('inbound_mail_id').delete();
  await knex.schema.alterTable('mail_attachments', (t) => {
    t.dropIndex(['ticket_message_id']);
    t.dropForeign(['ticket_message_id']);
    t.dropColumn('ticket_message_id');
  });
  await knex.schema.alterTable('mail_attachments', (t) => {
    t.dropNullable('inbound_mail_id');
  });
}

import type { Knex } from 'knex';

// Retention deletes old tickets, private originals and raw mail in batches. Each deleted row makes the
// database look for the rows pointing at it (to cascade, to set them null, or to refuse): without an
// index on the pointing column, that is a read of the whole table per row deleted. These indexes make
// each lookup one probe, and let retention find what is past its time without reading everything.
const INDEXES: Array<[name: string, definition: string]> = [
  ['tickets_merged_into_id', 'tickets (merged_into_id) WHERE merged_into_id IS NOT NULL'],
  ['callbacks_ticket_id', 'callbacks (ticket_id) WHERE ticket_id IS NOT NULL'],
  ['outbox_ticket_id', 'outbox (ticket_id) WHERE ticket_id IS NOT NULL'],
  ['inbound_mail_ticket_id', 'inbound_mail (ticket_id)'],
  ['inbound_mail_received_at', 'inbound_mail (received_at, id)'],
  ['ticket_messages_inbound_mail_id', 'ticket_messages (inbound_mail_id) WHERE inbound_mail_id IS NOT NULL'],
  ['mail_attachments_inbound_mail_id', 'mail_attachments (inbound_mail_id)'],
  ['mail_bounces_inbound_mail_id', 'mail_bounces (inbound_mail_id) WHERE inbound_mail_id IS NOT NULL'],
  ['private_originals_created_at', 'private_originals (created_at, id)'],
  ['callback_private_originals_created_at', 'callback_private_originals (created_at, id)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, definition] of INDEXES) await knex.raw(`CREATE INDEX ${name} ON ${definition}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}

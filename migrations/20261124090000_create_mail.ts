import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Every message intake sees, raw, stored before anything else happens to it. The unique key is the
  // Message-ID (or a hash of the raw message when it has none): the database refuses a second copy.
  await knex.schema.createTable('inbound_mail', (t) => {
    t.increments('id').primary();
    t.string('dedupe_key', 1000).notNullable().unique();
    t.string('message_id', 1000);
    t.string('source', 16).notNullable(); // imap | import
    t.string('mailbox', 200);
    t.integer('uid');
    t.binary('raw').notNullable();
    t.integer('size').notNullable();
    t.string('received_at', 30).notNullable();
    t.string('status', 16).notNullable().defaultTo('received'); // received | processed | quarantined
    t.string('kind', 16); // new | reply | auto_reply | bounce | own_address | list
    t.string('from_address', 320);
    t.string('subject', 1000);
    t.integer('ticket_id').references('id').inTable('tickets').onDelete('SET NULL');
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('processed_at', 30);
    t.index(['status', 'id']);
  });
  // Where IMAP intake stopped, per mailbox; a new UIDVALIDITY starts the mailbox over (duplicates are
  // still refused by inbound_mail.dedupe_key).
  await knex.schema.createTable('mail_checkpoints', (t) => {
    t.string('mailbox', 200).primary();
    t.string('uid_validity', 20).notNullable();
    t.integer('last_uid').notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.integer('inbound_mail_id').references('id').inTable('inbound_mail').onDelete('SET NULL');
    t.string('from_address', 320);
    t.string('subject', 1000);
    // Email HTML after sanitising; the only HTML from outside that a staff page shows.
    t.text('html_clean');
    t.index(['message_id']);
  });
  await knex.schema.createTable('mail_attachments', (t) => {
    t.increments('id').primary();
    t.integer('ticket_id').references('id').inTable('tickets').onDelete('CASCADE');
    t.integer('inbound_mail_id').notNullable().references('id').inTable('inbound_mail').onDelete('CASCADE');
    t.string('filename', 300).notNullable();
    t.string('content_type', 200).notNullable();
    t.integer('size').notNullable();
    t.binary('content'); // null when refused
    t.string('refused_reason', 20); // too_large | forbidden_type
    t.string('created_at', 30).notNullable();
    t.index(['ticket_id']);
  });
  // Outgoing mail: written in the same transaction as what caused it, delivered and retried by the
  // sender. The Message-ID is fixed at enqueue, so a retried delivery is recognisably the same message.
  await knex.schema.createTable('outbox', (t) => {
    t.increments('id').primary();
    t.string('kind', 30).notNullable(); // acknowledgement | refusal | staff_reply | attachment_refused | callback_* | staff_alert
    t.string('dedupe_key', 200).unique();
    t.integer('ticket_id').references('id').inTable('tickets').onDelete('SET NULL');
    t.string('to_address', 320).notNullable();
    t.string('subject', 1000).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body');
    t.string('message_id', 400).notNullable().unique();
    t.string('in_reply_to', 1000);
    t.text('references');
    t.boolean('automatic').notNullable();
    t.text('attachments'); // JSON [{filename, contentType, content}] (content as text)
    t.string('status', 16).notNullable(); // pending | sending | sent | failed | suppressed
    t.string('suppressed_reason', 30);
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('claimed_until', 30);
    t.text('last_error');
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30);
    t.index(['status', 'next_attempt_at']);
    t.index(['to_address', 'created_at']);
  });
  // Delivery failures reported back to us, per address: shown on the requester, and an address that
  // keeps failing is marked undeliverable so automatic mail stops going to it.
  await knex.schema.createTable('mail_bounces', (t) => {
    t.increments('id').primary();
    t.string('address', 320).notNullable();
    t.integer('inbound_mail_id').references('id').inTable('inbound_mail').onDelete('SET NULL');
    t.string('action', 20);
    t.string('status', 20);
    t.text('diagnostic');
    t.string('created_at', 30).notNullable();
    t.index(['address', 'id']);
  });
  await knex.schema.createTable('mail_addresses', (t) => {
    t.string('address', 320).primary();
    t.integer('hard_bounces').notNullable().defaultTo(0);
    t.boolean('undeliverable').notNullable().defaultTo(false);
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_addresses');
  await knex.schema.dropTable('mail_bounces');
  await knex.schema.dropTable('outbox');
  await knex.schema.dropTable('mail_attachments');
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.dropIndex(['message_id']);
    t.dropColumn('html_clean');
    t.dropColumn('subject');
    t.dropColumn('from_address');
    t.dropColumn('inbound_mail_id');
  });
  await knex.schema.dropTable('mail_checkpoints');
  await knex.schema.dropTable('inbound_mail');
}

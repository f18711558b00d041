import type { Knex } from 'knex';

// Columns without foreign keys, so that SQLite can drop them in place when rolling back: knex would
// rebuild the table instead, and dropping the old copy deletes, by cascade, what points at its rows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_mail', (t) => {
    // What makes two copies with one Message-ID the same message (raw-headers.ts contentHashOf); null
    // for messages stored before, whose hash is worked out from their raw copy when needed.
    t.string('content_hash', 64);
    // A message that arrived with the Message-ID of an earlier, different message: the earlier one.
    t.integer('duplicate_of').index('inbound_mail_duplicate_of_index');
    // Why intake sorted the message as it did (a list's List-Id, an auto-reply's header).
    t.string('kind_reason', 300);
  });
  await knex.schema.alterTable('mail_bounces', (t) => {
    // The message we sent that the report is about; null when it refers to nothing we sent.
    t.integer('outbox_id');
    // Set on the one report that counted against the address for that message: once per message.
    t.integer('counted_outbox_id').unique({ indexName: 'mail_bounces_counted_outbox_id_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'sqlite3') {
    await knex.raw('DROP INDEX mail_bounces_counted_outbox_id_unique');
    await knex.raw('ALTER TABLE mail_bounces DROP COLUMN counted_outbox_id');
    await knex.raw('ALTER TABLE mail_bounces DROP COLUMN outbox_id');
    await knex.raw('DROP INDEX inbound_mail_duplicate_of_index');
    for (const column of ['kind_reason', 'duplicate_of', 'content_hash'])
      await knex.raw(`ALTER TABLE inbound_mail DROP COLUMN ${column}`);
    return;
  }
  await knex.schema.alterTable('mail_bounces', (t) => {
    t.dropUnique(['counted_outbox_id'], 'mail_bounces_counted_outbox_id_unique');
    t.dropColumn('counted_outbox_id');
    t.dropColumn('outbox_id');
  });
  await knex.schema.alterTable('inbound_mail', (t) => {
    t.dropIndex(['duplicate_of'], 'inbound_mail_duplicate_of_index');
    t.dropColumn('kind_reason');
    t.dropColumn('duplicate_of');
    t.dropColumn('content_hash');
  });
}

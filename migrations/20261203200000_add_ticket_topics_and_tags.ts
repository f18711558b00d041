import type { Knex } from 'knex';

// Every ticket has a topic (an FAQ category id, proposed at intake from the request's best FAQ
// match, changed by staff) and free tags (SPEC §13). Tags are stored lower-case and trimmed by the
// application; the key on (ticket_id, tag) keeps a tag once per ticket, and the tag index serves the
// queue's tag filter and the list of existing tags offered as suggestions. (topic, id) lets the
// queue list one topic newest-first without walking every ticket.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.string('topic', 64);
    t.index(['topic', 'id'], 'tickets_topic_id');
  });
  await knex.schema.createTable('ticket_tags', (t) => {
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('tag', 40).notNullable();
    t.string('created_at', 30).notNullable();
    t.primary(['ticket_id', 'tag']);
    t.index(['tag']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_tags');
  await knex.raw('DROP INDEX IF EXISTS tickets_topic_id');
  // Plain SQL on both databases: knex would rebuild the table on SQLite, dropping its search triggers.
  await knex.raw('ALTER TABLE tickets DROP COLUMN topic');
}

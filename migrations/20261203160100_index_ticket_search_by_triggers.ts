import type { Knex } from 'knex';

// Full-text search follows every write by the database's own means instead of a catch-up loop in the
// application (and its checkpoint table, search_index_state). SQLite: triggers keep the FTS5 table
// ticket_search, one row per ticket (rowid = ticket id) holding its subject and all its messages.
// PostgreSQL already searches through the expression indexes tickets_subject_fts and
// ticket_messages_body_fts (GIN, 20261123140000_create_staff), which follow writes by themselves.
// A later migration that makes knex rebuild tickets or ticket_messages on SQLite (changing or
// dropping a column) drops these triggers with the old table and must create them again.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

/** Every message of ticket `id` (an SQL expression), one per line. */
const messagesOf = (id: string) =>
  `coalesce((SELECT group_concat(body_text, char(10)) FROM ticket_messages WHERE ticket_id = ${id}), '')`;

const TRIGGERS = {
  ticket_search_ticket_added: `AFTER INSERT ON tickets BEGIN
      INSERT INTO ticket_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, '');
    END`,
  ticket_search_subject_changed: `AFTER UPDATE OF subject ON tickets BEGIN
      UPDATE ticket_search SET subject = NEW.subject WHERE rowid = NEW.id;
    END`,
  ticket_search_ticket_deleted: `AFTER DELETE ON tickets BEGIN
      DELETE FROM ticket_search WHERE rowid = OLD.id;
    END`,
  // The common case, a new message: appended to its ticket's row.
  ticket_search_message_added: `AFTER INSERT ON ticket_messages BEGIN
      UPDATE ticket_search SET body = body || char(10) || NEW.body_text WHERE rowid = NEW.ticket_id;
    END`,
  // A message edited or moved (a merge): the rows of the tickets concerned are written again.
  ticket_search_message_changed: `AFTER UPDATE OF body_text, ticket_id ON ticket_messages BEGIN
      UPDATE ticket_search SET body = ${messagesOf('ticket_search.rowid')} WHERE rowid IN (OLD.ticket_id, NEW.ticket_id);
    END`,
  ticket_search_message_deleted: `AFTER DELETE ON ticket_messages BEGIN
      UPDATE ticket_search SET body = ${messagesOf('ticket_search.rowid')} WHERE rowid = OLD.ticket_id;
    END`,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('search_index_state');
  if (!isSqlite(knex)) return;
  // Built again from every ticket and message already stored (the catch-up loop may have been behind).
  await knex.raw('DROP TABLE ticket_search');
  await knex.raw(`CREATE VIRTUAL TABLE ticket_search USING fts5(subject, body, tokenize = 'porter unicode61')`);
  await knex.raw(`INSERT INTO ticket_search (rowid, subject, body) SELECT t.id, t.subject, ${messagesOf('t.id')} FROM tickets t`);
  for (const [name, body] of Object.entries(TRIGGERS)) await knex.raw(`CREATE TRIGGER ${name} ${body}`);
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) for (const name of Object.keys(TRIGGERS)) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  // The index is current: the catch-up loop starts after the last message.
  await knex.schema.createTable('search_index_state', (t) => {
    t.integer('id').primary(); // always 1
    t.integer('indexed_through_message_id').notNullable();
  });
  const [{ through }] = (await knex('ticket_messages').max({ through: 'id' })) as Array<{ through: number | null }>;
  await knex('search_index_state').insert({ id: 1, indexed_through_message_id: Number(through ?? 0) });
}

import type { Knex } from 'knex';

// PostgreSQL: one search document per ticket (its subject and every message, a tsvector), as SQLite's
// FTS5 table ticket_search holds, kept by triggers. A word search then reads one indexed column of one
// table, so the planner can see how many tickets a word matches (ANALYZE keeps lexeme frequencies)
// and choose: walk the tickets newest-first and stop after one page (a common word), or read a rare
// word's few tickets from the GIN index. Searching the subject index OR the messages index read every
// match of a common word and sorted them (over 5 s at 1,000,000 tickets). The two expression indexes
// of 20261123140000_create_staff are then unused and go (less work for every new ticket).
// Both databases: case numbers indexed with their tickets, so that a case-number search reads its
// tickets in order from the index.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

const FUNCTIONS = {
  // The whole document of one ticket, built again (a subject edited, a message changed or moved).
  // Empty for a ticket being deleted (its messages go after it).
  ticket_search_document: `(ticket integer) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT coalesce((SELECT to_tsvector('english', t.subject) || to_tsvector('english', coalesce(
        (SELECT string_agg(m.body_text, E'\\n' ORDER BY m.id) FROM ticket_messages m WHERE m.ticket_id = t.id), ''))
      FROM tickets t WHERE t.id = ticket), ''::tsvector)
    $$`,
  ticket_search_ticket_added: `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO ticket_search (ticket_id, document) VALUES (NEW.id, to_tsvector('english', NEW.subject));
      RETURN NULL;
    END $$`,
  ticket_search_subject_changed: `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      UPDATE ticket_search SET document = ticket_search_document(NEW.id) WHERE ticket_id = NEW.id;
      RETURN NULL;
    END $$`,
  // The common case, a new message: appended to its ticket's document.
  ticket_search_message_added: `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      UPDATE ticket_search SET document = document || to_tsvector('english', NEW.body_text) WHERE ticket_id = NEW.ticket_id;
      RETURN NULL;
    END $$`,
  ticket_search_message_changed: `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      UPDATE ticket_search SET document = ticket_search_document(ticket_id) WHERE ticket_id IN (OLD.ticket_id, NEW.ticket_id);
      RETURN NULL;
    END $$`,
  ticket_search_message_deleted: `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      UPDATE ticket_search SET document = ticket_search_document(ticket_id) WHERE ticket_id = OLD.ticket_id;
      RETURN NULL;
    END $$`,
};

// A deleted ticket's document goes with it (ON DELETE CASCADE).
const TRIGGERS = {
  ticket_search_ticket_added: 'AFTER INSERT ON tickets',
  ticket_search_subject_changed: 'AFTER UPDATE OF subject ON tickets',
  ticket_search_message_added: 'AFTER INSERT ON ticket_messages',
  ticket_search_message_changed: 'AFTER UPDATE OF body_text, ticket_id ON ticket_messages',
  ticket_search_message_deleted: 'AFTER DELETE ON ticket_messages',
};

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX ticket_case_numbers_number_ticket ON ticket_case_numbers (number, ticket_id)');
  if (isSqlite(knex)) return;
  await knex.raw(`CREATE TABLE ticket_search (
      ticket_id integer PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
      document tsvector NOT NULL
    )`);
  for (const [name, body] of Object.entries(FUNCTIONS)) await knex.raw(`CREATE FUNCTION ${name} ${body}`);
  // Every ticket and message already stored, then every write after.
  await knex.raw('INSERT INTO ticket_search (ticket_id, document) SELECT id, ticket_search_document(id) FROM tickets');
  for (const [name, event] of Object.entries(TRIGGERS))
    await knex.raw(`CREATE TRIGGER ${name} ${event} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  await knex.raw('CREATE INDEX ticket_search_document ON ticket_search USING gin (document)');
  await knex.raw('ANALYZE ticket_search');
  await knex.raw('DROP INDEX IF EXISTS tickets_subject_fts');
  await knex.raw('DROP INDEX IF EXISTS ticket_messages_body_fts');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ticket_case_numbers_number_ticket');
  if (isSqlite(knex)) return;
  await knex.raw(`CREATE INDEX IF NOT EXISTS tickets_subject_fts ON tickets USING gin (to_tsvector('english', subject))`);
  await knex.raw(
    `CREATE INDEX IF NOT EXISTS ticket_messages_body_fts ON ticket_messages USING gin (to_tsvector('english', body_text))`,
  );
  for (const [name, event] of Object.entries(TRIGGERS))
    await knex.raw(`DROP TRIGGER IF EXISTS ${name} ${event.replace(/^.* ON /, 'ON ')}`);
  await knex.raw('DROP TABLE IF EXISTS ticket_search');
  for (const name of [...Object.keys(FUNCTIONS)].reverse()) await knex.raw(`DROP FUNCTION IF EXISTS ${name}`);
}

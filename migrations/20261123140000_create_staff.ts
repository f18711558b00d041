import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_users', (t) => {
    t.increments('id').primary();
    t.string('email', 320).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('role', 10).notNullable(); // agent | admin
    t.string('password_hash', 200).notNullable();
    t.string('disabled_at', 30);
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('staff_sessions', (t) => {
    t.string('id_hash', 64).primary(); // SHA-256 of the cookie value
    t.integer('user_id').notNullable().references('id').inTable('staff_users').onDelete('CASCADE');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    t.index(['user_id']);
  });
  await knex.schema.createTable('sign_in_failures', (t) => {
    t.increments('id').primary();
    t.string('key', 400).notNullable(); // account:<email> | address:<ip>
    t.string('at', 30).notNullable();
    t.index(['key', 'at']);
  });
  await knex.schema.createTable('ticket_viewers', (t) => {
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('id').inTable('staff_users').onDelete('CASCADE');
    t.string('seen_at', 30).notNullable();
    t.primary(['ticket_id', 'user_id']);
  });
  await knex.schema.alterTable('tickets', (t) => {
    t.integer('assignee_id').references('id').inTable('staff_users');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('merged_into_id').references('id').inTable('tickets');
    t.string('first_response_due_at', 30);
    t.string('first_response_at', 30);
    t.index(['assignee_id', 'id']);
    t.index(['first_response_due_at']);
  });
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.boolean('internal').notNullable().defaultTo(false); // staff notes: never shown to the filer
    t.integer('author_staff_id').references('id').inTable('staff_users');
  });
  await knex.schema.createTable('search_index_state', (t) => {
    t.integer('id').primary(); // always 1
    t.integer('indexed_through_message_id').notNullable();
  });
  await knex('search_index_state').insert({ id: 1, indexed_through_message_id: 0 });

  if (isSqlite(knex)) {
    // Full-text search: one FTS5 row per ticket, its rowid the ticket id, holding the subject and every
    // message. Searching newest-first then walks the index backwards and stops after one page. Rows are
    // written by the search indexer (src/staff/search-index.ts) in batches, off the intake path.
    await knex.raw(`CREATE VIRTUAL TABLE ticket_search USING fts5(subject, body, tokenize = 'porter unicode61')`);
  } else {
    await knex.raw(`CREATE INDEX tickets_subject_fts ON tickets USING gin (to_tsvector('english', subject))`);
    await knex.raw(`CREATE INDEX ticket_messages_body_fts ON ticket_messages USING gin (to_tsvector('english', body_text))`);
  }
  // The default queue view (new, open, waiting; newest first) reads this partial index in order.
  await knex.raw(`CREATE INDEX tickets_active_id ON tickets (id) WHERE status IN ('new', 'open', 'waiting')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tickets_active_id');
  if (isSqlite(knex)) {
    await knex.raw('DROP TABLE IF EXISTS ticket_search');
  } else {
    await knex.raw('DROP INDEX IF EXISTS tickets_subject_fts');
    await knex.raw('DROP INDEX IF EXISTS ticket_messages_body_fts');
  }
  await knex.schema.dropTable('search_index_state');
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.dropColumn('author_staff_id');
    t.dropColumn('internal');
  });
  await knex.schema.alterTable('tickets', (t) => {
    t.dropIndex(['assignee_id', 'id']);
    t.dropIndex(['first_response_due_at']);
    t.dropColumn('first_response_at');
    t.dropColumn('first_response_due_at');
    t.dropColumn('merged_into_id');
    t.dropColumn('version');
    t.dropColumn('assignee_id');
  });
  await knex.schema.dropTable('ticket_viewers');
  await knex.schema.dropTable('sign_in_failures');
  await knex.schema.dropTable('staff_sessions');
  await knex.schema.dropTable('staff_users');
}

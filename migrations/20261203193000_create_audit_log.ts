import type { Knex } from 'knex';

// Who did what to records a court must account for (SPEC §12): views of unmasked originals and raw
// mail, account changes, sign-ins, staff decisions, retention runs. Append-only, held by the database
// itself: a trigger refuses every UPDATE and DELETE, so no code path (nor a person at a SQL prompt
// through the application's account) can rewrite the record. `details` is JSON of counts and
// references only, never a secret or a private number.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 30).notNullable();
    t.string('actor', 40).notNullable(); // staff:<id> | system | cli | anonymous
    t.string('actor_name', 200); // the staff member's name then, kept if the account changes later
    t.string('action', 60).notNullable();
    t.string('subject_type', 40); // ticket | inbound_mail | attachment | staff_user | callback | outage | retention
    t.string('subject_id', 100); // a ticket's reference, or the id of the row concerned
    t.text('details'); // JSON
    t.string('address', 64); // the client's IP address, for actions over the web
    t.index(['at']);
    t.index(['actor', 'id']);
    t.index(['action', 'id']);
    t.index(['subject_id', 'id']);
  });
  if (isSqlite(knex)) {
    for (const event of ['UPDATE', 'DELETE'])
      await knex.raw(`CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    return;
  }
  await knex.raw(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$`);
  // Per statement, so that even a change that matches no row is refused; TRUNCATE too.
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log');
    await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only');
  }
  await knex.schema.dropTable('audit_log');
}

import type { Knex } from 'knex';

// Outages of CM/ECF and the services around it, declared by staff, and the filers' reports of them.
// An outage's history is its events, appended and never rewritten: a filer's proof that the system
// was down must not change after the fact. Times are ISO-8601 UTC strings, as everywhere else.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outages', (t) => {
    t.increments('id').primary();
    t.string('scope', 40).notNullable(); // cmecf | pacer | email-notices | helpdesk-phone | other
    t.text('message').notNullable(); // the public message now shown (the latest declared or updated)
    t.string('started_at', 30).notNullable();
    t.string('ended_at', 30);
    t.string('declared_by', 200).notNullable(); // staff:<id> | cli
    t.string('created_at', 30).notNullable();
    t.index(['started_at']);
  });
  // At most one active outage of a scope, held by the database even when two staff declare at once.
  await knex.raw('CREATE UNIQUE INDEX outages_one_active_per_scope ON outages (scope) WHERE ended_at IS NULL');

  await knex.schema.createTable('outage_events', (t) => {
    t.increments('id').primary();
    t.integer('outage_id').notNullable().references('id').inTable('outages');
    t.string('kind', 20).notNullable(); // declared | updated | ended | answered
    t.text('message'); // the public message given with this change, when one was
    t.string('effective_at', 30).notNullable(); // the time the change states (a start or end may be in the past)
    t.string('actor', 200).notNullable(); // staff:<id> | cli
    t.string('recorded_at', 30).notNullable();
    t.index(['outage_id', 'id']);
  });

  await knex.schema.createTable('outage_reports', (t) => {
    t.integer('ticket_id').primary().references('id').inTable('tickets').onDelete('CASCADE');
    t.integer('outage_id').references('id').inTable('outages'); // the active outage of that scope then, if any
    t.string('scope', 40).notNullable();
    t.string('observed_at', 30); // when the filer says they saw the problem
    t.string('received_at', 30).notNullable();
    t.string('receipt_token_hash', 64).notNullable().unique();
    t.index(['outage_id', 'ticket_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outage_reports');
  await knex.schema.dropTable('outage_events');
  await knex.schema.dropTable('outages');
}

import type { Knex } from 'knex';

// The business hours a resolved or closed request took, not counting the time it waited for the
// filer (SPEC §13: the resolution target pauses then). Worked out from the ticket's history when it
// is resolved or closed, and cleared when it is reopened, so that a year of reports reads one number
// per request instead of every request's history. Requests finished before this column are measured
// by a background job, found through the small partial index below (empty once they are done).
const RECEIVED_BEFORE = 'tickets (created_at, first_response_due_at, first_response_at, closed_at, merged_into_id, topic)';
const RECEIVED_AFTER =
  'tickets (created_at, first_response_due_at, first_response_at, closed_at, merged_into_id, topic, resolution_business_hours)';
// Written literally as the repository's query writes it, so both databases see the index holds every row asked for.
const UNMEASURED =
  "tickets (id) WHERE resolution_business_hours IS NULL AND status IN ('resolved', 'closed') AND merged_into_id IS NULL";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.double('resolution_business_hours');
  });
  // The reports read the received requests from this index alone: it takes the new column too.
  await knex.raw('DROP INDEX IF EXISTS tickets_reports_received');
  await knex.raw(`CREATE INDEX tickets_reports_received ON ${RECEIVED_AFTER}`);
  await knex.raw(`CREATE INDEX tickets_resolution_unmeasured ON ${UNMEASURED}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tickets_resolution_unmeasured');
  await knex.raw('DROP INDEX IF EXISTS tickets_reports_received');
  await knex.raw(`CREATE INDEX tickets_reports_received ON ${RECEIVED_BEFORE}`);
  // Plain SQL on both databases: knex would rebuild the table on SQLite, dropping its search triggers.
  await knex.raw('ALTER TABLE tickets DROP COLUMN resolution_business_hours');
}

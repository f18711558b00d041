import type { Knex } from 'knex';

// The staff queue shows the active reports of outages as one row per outage, and lists the other
// active requests below. During an outage thousands of reports may come in at once: these two
// partial indexes keep both reads from walking them. The queue writes the same conditions, literally,
// so that SQLite and PostgreSQL can both see that an index holds every row asked for.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX tickets_active_except_outage_reports ON tickets (id) WHERE status IN ('new', 'open', 'waiting') AND flags NOT LIKE '%"outage_report"%'`,
  );
  await knex.raw(
    `CREATE INDEX tickets_active_outage_reports ON tickets (id) WHERE status IN ('new', 'open', 'waiting') AND flags LIKE '%"outage_report"%'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tickets_active_outage_reports');
  await knex.raw('DROP INDEX IF EXISTS tickets_active_except_outage_reports');
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per background job while a process runs it. Taking the lease is one conditional upsert
  // (free or expired only), so the database, not the processes, decides who runs.
  await knex.schema.createTable('job_leases', (t) => {
    t.string('name', 100).primary();
    t.string('holder', 200).notNullable();
    t.string('acquired_at', 30).notNullable();
    t.string('expires_at', 30).notNullable(); // a holder that dies frees the job by expiry
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('job_leases');
}

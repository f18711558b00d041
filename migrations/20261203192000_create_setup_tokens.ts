import type { Knex } from 'knex';

// First-run set-up links: while no staff account exists, each web process that starts prints a link
// whose token is kept here only as a hash. Creating the first administrator uses up every link.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('setup_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('setup_tokens');
}

import type { Knex } from 'knex';

// What filers search for and read in the FAQ, counted per day (the court's date) rather than stored
// one row per search: a process adds up its counts in memory and writes them every few seconds in one
// upsert, so a search costs no write of its own. The query is stored masked (private numbers removed,
// SPEC §5) and normalised (lower case, words only), so the same search typed twice is one row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('faq_search_days', (t) => {
    t.string('day', 10).notNullable(); // YYYY-MM-DD in the court's time zone
    t.string('query', 200).notNullable();
    t.integer('searches').notNullable().defaultTo(0);
    t.integer('no_results').notNullable().defaultTo(0);
    t.integer('followed_by_request').notNullable().defaultTo(0);
    t.primary(['day', 'query']);
  });
  await knex.schema.createTable('faq_answer_days', (t) => {
    t.string('day', 10).notNullable();
    t.string('answer_id', 100).notNullable();
    t.integer('views').notNullable().defaultTo(0);
    t.integer('requests_followed').notNullable().defaultTo(0); // requests sent after reading the answer
    t.primary(['day', 'answer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('faq_answer_days');
  await knex.schema.dropTable('faq_search_days');
}

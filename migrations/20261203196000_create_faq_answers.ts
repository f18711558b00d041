import type { Knex } from 'knex';

// The FAQ kept by staff in the database (SPEC §11) instead of in files. An answer is its id, the
// number of its published version and an optional draft; every published version is kept whole
// (the Markdown file, front matter and body, exactly as written) with who published it and when, and
// is never rewritten: a trigger refuses UPDATE and DELETE. Synonyms for search are rows of data.
// `faq_state` holds one row: a counter that moves with every published change, which every server
// process reads cheaply to know when to rebuild its search index, and whether faq-content/ has
// seeded this database yet.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('faq_answers', (t) => {
    t.string('id', 100).primary();
    t.integer('published_number'); // the published version's number; null while only a draft exists
    t.text('draft_source'); // the draft, as a whole Markdown file; null when there is none
    t.string('draft_by', 40); // staff:<id> | cli
    t.string('draft_by_name', 200);
    t.string('draft_saved_at', 30);
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('faq_versions', (t) => {
    t.increments('id').primary();
    t.string('answer_id', 100).notNullable().references('id').inTable('faq_answers');
    t.integer('number').notNullable(); // 1, 2, 3… per answer
    t.text('source').notNullable(); // the Markdown file: front matter and body, byte for byte
    t.string('title', 300).notNullable(); // from the front matter, for lists and history
    t.string('category', 100).notNullable();
    t.string('published_by', 40).notNullable(); // staff:<id> | cli | seed
    t.string('published_by_name', 200); // the staff member's name then
    t.string('published_at', 30).notNullable();
    t.integer('restored_from'); // the number of the version this one restored, if any
    t.unique(['answer_id', 'number']);
  });
  await knex.schema.createTable('faq_synonyms', (t) => {
    t.string('term', 100).primary();
    t.text('equivalents').notNullable(); // JSON array of words or phrases that mean the same to a filer
  });
  await knex.schema.createTable('faq_state', (t) => {
    t.integer('id').primary(); // always 1
    t.bigInteger('change_count').notNullable().defaultTo(0);
    t.string('seeded_at', 30); // when faq-content/ (or an import) first filled this database
  });
  await knex('faq_state').insert({ id: 1, change_count: 0, seeded_at: null });

  if (isSqlite(knex)) {
    for (const event of ['UPDATE', 'DELETE'])
      await knex.raw(`CREATE TRIGGER faq_versions_no_${event.toLowerCase()} BEFORE ${event} ON faq_versions
        BEGIN SELECT RAISE(ABORT, 'faq_versions is append-only'); END`);
    return;
  }
  await knex.raw(`CREATE FUNCTION faq_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      RAISE EXCEPTION 'faq_versions is append-only';
    END $$`);
  await knex.raw(`CREATE TRIGGER faq_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON faq_versions
      FOR EACH STATEMENT EXECUTE FUNCTION faq_versions_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS faq_versions_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS faq_versions_no_delete');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS faq_versions_append_only ON faq_versions');
    await knex.raw('DROP FUNCTION IF EXISTS faq_versions_append_only');
  }
  await knex.schema.dropTable('faq_state');
  await knex.schema.dropTable('faq_synonyms');
  await knex.schema.dropTable('faq_versions');
  await knex.schema.dropTable('faq_answers');
}

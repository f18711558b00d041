import type { Knex } from 'knex';

// FAQ answers in English and Spanish (SPEC §14): an answer is now its id and language, each language
// with its own published version, history and draft; the Spanish version of `forgot-password` is
// ('forgot-password', 'es'). Synonyms are kept per language too. Every row already stored is English.
// PostgreSQL changes the keys in place. SQLite cannot change a primary key, so the two tables are
// copied into new ones and renamed (foreign keys are off while migrations run, see src/db/knex.ts);
// faq_versions stays append-only, its triggers written again on the new table.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

const ANSWER_COLUMNS = 'id, published_number, draft_source, draft_by, draft_by_name, draft_saved_at, created_at';
const VERSION_COLUMNS =
  'id, answer_id, number, source, title, category, published_by, published_by_name, published_at, restored_from';

async function sqliteTriggers(knex: Knex, action: 'create' | 'drop'): Promise<void> {
  for (const event of ['UPDATE', 'DELETE']) {
    const name = `faq_versions_no_${event.toLowerCase()}`;
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
    if (action === 'create')
      await knex.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON faq_versions
        BEGIN SELECT RAISE(ABORT, 'faq_versions is append-only'); END`);
  }
}

/** SQLite: the two tables rebuilt, with or without the language in their keys, keeping the rows of `keep`. */
async function rebuildSqlite(knex: Knex, withLanguage: boolean, keep: string): Promise<void> {
  await sqliteTriggers(knex, 'drop');
  await knex.schema.createTable('faq_answers_next', (t) => {
    t.string('id', 100).notNullable();
    if (withLanguage) t.string('language', 2).notNullable().defaultTo('en');
    t.integer('published_number');
    t.text('draft_source');
    t.string('draft_by', 40);
    t.string('draft_by_name', 200);
    t.string('draft_saved_at', 30);
    t.string('created_at', 30).notNullable();
    t.primary(withLanguage ? ['id', 'language'] : ['id']);
  });
  await knex.schema.createTable('faq_versions_next', (t) => {
    t.increments('id').primary();
    t.string('answer_id', 100).notNullable();
    if (withLanguage) t.string('language', 2).notNullable().defaultTo('en');
    t.integer('number').notNullable();
    t.text('source').notNullable();
    t.string('title', 300).notNullable();
    t.string('category', 100).notNullable();
    t.string('published_by', 40).notNullable();
    t.string('published_by_name', 200);
    t.string('published_at', 30).notNullable();
    t.integer('restored_from');
    if (withLanguage) {
      t.unique(['answer_id', 'language', 'number']);
      t.foreign(['answer_id', 'language']).references(['id', 'language']).inTable('faq_answers_next');
    } else {
      t.unique(['answer_id', 'number']);
      t.foreign('answer_id').references('id').inTable('faq_answers_next');
    }
  });
  const language = withLanguage ? ", 'en'" : '';
  const languageColumn = withLanguage ? ', language' : '';
  await knex.raw(
    `INSERT INTO faq_answers_next (${ANSWER_COLUMNS}${languageColumn}) SELECT ${ANSWER_COLUMNS}${language} FROM faq_answers WHERE ${keep}`,
  );
  await knex.raw(
    `INSERT INTO faq_versions_next (${VERSION_COLUMNS}${languageColumn}) SELECT ${VERSION_COLUMNS}${language} FROM faq_versions WHERE ${keep}`,
  );
  await knex.schema.dropTable('faq_versions');
  await knex.schema.dropTable('faq_answers');
  await knex.schema.renameTable('faq_answers_next', 'faq_answers');
  await knex.schema.renameTable('faq_versions_next', 'faq_versions');
  await sqliteTriggers(knex, 'create');
}

async function rebuildSqliteSynonyms(knex: Knex, withLanguage: boolean): Promise<void> {
  await knex.schema.createTable('faq_synonyms_next', (t) => {
    if (withLanguage) t.string('language', 2).notNullable().defaultTo('en');
    t.string('term', 100).notNullable();
    t.text('equivalents').notNullable();
    t.primary(withLanguage ? ['language', 'term'] : ['term']);
  });
  await knex.raw(
    `INSERT INTO faq_synonyms_next (term, equivalents) SELECT term, equivalents FROM faq_synonyms${withLanguage ? '' : " WHERE language = 'en'"}`,
  );
  await knex.schema.dropTable('faq_synonyms');
  await knex.schema.renameTable('faq_synonyms_next', 'faq_synonyms');
}

export async function up(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await rebuildSqlite(knex, true, '1 = 1');
    await rebuildSqliteSynonyms(knex, true);
    return;
  }
  await knex.schema.alterTable('faq_versions', (t) => {
    t.dropForeign(['answer_id']);
    t.dropUnique(['answer_id', 'number']);
  });
  await knex.schema.alterTable('faq_answers', (t) => {
    t.string('language', 2).notNullable().defaultTo('en');
    t.dropPrimary();
  });
  await knex.schema.alterTable('faq_answers', (t) => t.primary(['id', 'language']));
  // Adding a column with a default writes no row: the append-only trigger is not involved.
  await knex.schema.alterTable('faq_versions', (t) => {
    t.string('language', 2).notNullable().defaultTo('en');
    t.unique(['answer_id', 'language', 'number']);
    t.foreign(['answer_id', 'language']).references(['id', 'language']).inTable('faq_answers');
  });
  await knex.schema.alterTable('faq_synonyms', (t) => {
    t.string('language', 2).notNullable().defaultTo('en');
    t.dropPrimary();
  });
  await knex.schema.alterTable('faq_synonyms', (t) => t.primary(['language', 'term']));
}

export async function down(knex: Knex): Promise<void> {
  // Going back to English only: the other languages' answers and synonyms are dropped.
  if (isSqlite(knex)) {
    await rebuildSqlite(knex, false, "language = 'en'");
    await rebuildSqliteSynonyms(knex, false);
    return;
  }
  await knex.raw('ALTER TABLE faq_versions DISABLE TRIGGER faq_versions_append_only');
  await knex('faq_versions').whereNot({ language: 'en' }).delete();
  await knex.raw('ALTER TABLE faq_versions ENABLE TRIGGER faq_versions_append_only');
  await knex('faq_answers').whereNot({ language: 'en' }).delete();
  await knex('faq_synonyms').whereNot({ language: 'en' }).delete();
  await knex.schema.alterTable('faq_versions', (t) => {
    t.dropForeign(['answer_id', 'language']);
    t.dropUnique(['answer_id', 'language', 'number']);
    t.dropColumn('language');
  });
  await knex.schema.alterTable('faq_answers', (t) => {
    t.dropPrimary();
    t.dropColumn('language');
  });
  await knex.schema.alterTable('faq_answers', (t) => t.primary(['id']));
  await knex.schema.alterTable('faq_versions', (t) => {
    t.unique(['answer_id', 'number']);
    t.foreign('answer_id').references('id').inTable('faq_answers');
  });
  await knex.schema.alterTable('faq_synonyms', (t) => {
    t.dropPrimary();
    t.dropColumn('language');
  });
  await knex.schema.alterTable('faq_synonyms', (t) => t.primary(['term']));
}

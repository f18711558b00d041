import type { Knex } from 'knex';

// The words of the staff search's index (stems, as the index holds them), which a mistyped word in
// the queue's search box is corrected against ("pasword" → password).
// SQLite: an fts5vocab table over the FTS5 table ticket_search, the index's own list, always current
// (read once by the server, which then follows new writes itself: src/db/dialect/sqlite-index-words.ts).
// PostgreSQL: read by prefix ranges, so a correction costs the words that start alike, not the
// number of tickets; a table kept by a trigger on ticket_search (whose documents other triggers keep): each
// new document's lexemes of letters only are added when not there yet. No unique key, on purpose:
// two intakes adding the same new word would otherwise wait on each other (or deadlock, each holding
// a word the other adds); a rare duplicate costs nothing, and readers ask for DISTINCT words. Words of
// deleted tickets stay: a correction to a word no ticket holds finds nothing.
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

// Lexemes of 3 to 40 letters: numbers, references and codes are never corrected.
const WORD = `'^[[:alpha:]]{3,40}$'`;

export async function up(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('CREATE VIRTUAL TABLE ticket_search_words USING fts5vocab(ticket_search, row)');
    return;
  }
  await knex.raw('CREATE TABLE ticket_search_words (term text COLLATE "C" NOT NULL)');
  await knex.raw(`INSERT INTO ticket_search_words (term)
      SELECT word FROM ts_stat('SELECT document FROM ticket_search') WHERE word ~ ${WORD}`);
  await knex.raw('CREATE INDEX ticket_search_words_term ON ticket_search_words (term)');
  // A new message adds to its ticket's document: only lexemes the old document lacked are looked up.
  await knex.raw(`CREATE FUNCTION ticket_search_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE known text[] := '{}';
    BEGIN
      IF TG_OP = 'UPDATE' THEN known := tsvector_to_array(OLD.document); END IF;
      INSERT INTO ticket_search_words (term)
        SELECT n.word FROM (SELECT unnest(tsvector_to_array(NEW.document)) EXCEPT SELECT unnest(known)) AS n (word)
        WHERE n.word ~ ${WORD} AND NOT EXISTS (SELECT 1 FROM ticket_search_words w WHERE w.term = n.word);
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER ticket_search_words_added AFTER INSERT OR UPDATE OF document ON ticket_search
      FOR EACH ROW EXECUTE FUNCTION ticket_search_words_added()`);
  await knex.raw('ANALYZE ticket_search_words');
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('DROP TABLE IF EXISTS ticket_search_words');
    return;
  }
  await knex.raw('DROP TRIGGER IF EXISTS ticket_search_words_added ON ticket_search');
  await knex.raw('DROP FUNCTION IF EXISTS ticket_search_words_added');
  await knex.raw('DROP TABLE IF EXISTS ticket_search_words');
}

import type { Knex } from 'knex';
import lunr from 'lunr';

/**
 * The words of SQLite's search index (ticket_search, tokenizer "porter unicode61": lower case,
 * accents removed, Porter stems), held in memory for correcting typos in the staff search. Read once
 * from the index's own word list (the fts5vocab table ticket_search_words), then kept current by
 * reading only the subjects and messages written since. Why in memory: fts5vocab counts every
 * ticket holding each word it lists, so reading even the few words that start with "do" costs tens
 * of milliseconds at a million tickets, while this costs a lookup. SQLite serves one process
 * (README), so the process's own copy is the whole story.
 */

// Letters only, 3 to 40 of them: numbers, references and codes are never corrected.
const WORD = /^\p{L}{3,40}$/u;
// Rows read a step when catching up, and at most this many steps in one search (the rest next time).
const BATCH = 2000;
const STEPS = 10;

/** A word as SQLite's Porter tokenizer stems it (Lunr's Porter stemmer is the same algorithm). */
export const porterStem = (word: string): string => lunr.stemmer(new lunr.Token(word, {})).toString();

/** The index words of a text, as the tokenizer makes them. */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .map(porterStem)
    .filter((word) => WORD.test(word));
}

class IndexWords {
  private readonly sorted: string[] = [];
  private readonly known = new Set<string>();

  constructor(
    public throughTicket: number,
    public throughMessage: number,
  ) {}

  /** Where `word` is, or would go, in the sorted list. */
  private place(word: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle] < word) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(word: string): void {
    if (this.known.has(word)) return;
    this.known.add(word);
    this.sorted.splice(this.place(word), 0, word);
  }

  /** Words that start with `start` and have `min` to `max` characters, in order, at most `limit`. */
  startingWith(start: string, lengths: { min: number; max: number }, limit: number): string[] {
    const found: string[] = [];
    for (let i = this.place(start); i < this.sorted.length && this.sorted[i].startsWith(start) && found.length < limit; i += 1) {
      const word = this.sorted[i];
      if (word.length >= lengths.min && word.length <= lengths.max) found.push(word);
    }
    return found;
  }
}

const cache = new WeakMap<Knex, Promise<IndexWords>>();

async function maxId(db: Knex, table: string): Promise<number> {
  const [row] = (await db(table).max({ id: 'id' })) as Array<{ id: number | null }>;
  return Number(row?.id ?? 0);
}

/** The index's words as they are now: the ids read up to first (what comes after is caught up later). */
async function build(db: Knex): Promise<IndexWords> {
  const words = new IndexWords(await maxId(db, 'tickets'), await maxId(db, 'ticket_messages'));
  // Terms starting with a digit sort before "0" ... "9"; letters from "a" on.
  const rows = (await db('ticket_search_words').select('term').where('term', '>=', 'a')) as Array<{ term: string }>;
  for (const { term } of rows) if (WORD.test(term)) words.add(term);
  return words;
}

/** Adds the words of the subjects and messages written since the last look. */
async function catchUp(db: Knex, words: IndexWords): Promise<void> {
  for (let step = 0; step < STEPS; step += 1) {
    const [tickets, messages] = await Promise.all([
      db('tickets').where('id', '>', words.throughTicket).orderBy('id').limit(BATCH).select('id', 'subject') as Promise<
        Array<{ id: number; subject: string }>
      >,
      db('ticket_messages')
        .where('id', '>', words.throughMessage)
        .orderBy('id')
        .limit(BATCH)
        .select('id', 'body_text') as Promise<Array<{ id: number; body_text: string }>>,
    ]);
    for (const row of tickets) for (const word of wordsOf(row.subject)) words.add(word);
    for (const row of messages) for (const word of wordsOf(row.body_text)) words.add(word);
    if (tickets.length > 0) words.throughTicket = Math.max(words.throughTicket, tickets[tickets.length - 1].id);
    if (messages.length > 0) words.throughMessage = Math.max(words.throughMessage, messages[messages.length - 1].id);
    if (tickets.length < BATCH && messages.length < BATCH) return;
  }
}

/** The words of the search index of this database, current as of now. */
export async function indexWordsOf(db: Knex): Promise<Pick<IndexWords, 'startingWith'>> {
  let pending = cache.get(db);
  if (!pending) {
    pending = build(db);
    cache.set(db, pending);
    pending.catch(() => cache.delete(db));
  }
  const words = await pending;
  await catchUp(db, words);
  return words;
}

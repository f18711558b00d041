import type { Db } from '../db/knex';

/**
 * The languages an answer is written in: each (id, language) is an answer of its own, with its own
 * published version, history and draft. English is the original; Spanish versions keep its ids.
 */
export type AnswerLanguage = 'en' | 'es';

/** A published version of an answer, as stored: never changed once written. */
export interface VersionRow {
  answer_id: string;
  language: AnswerLanguage;
  number: number;
  source: string;
  title: string;
  category: string;
  published_by: string;
  published_by_name: string | null;
  published_at: string;
  restored_from: number | null;
}

/** An answer with its published version (if any) and its draft (if any). */
export interface AnswerRow {
  id: string;
  language: AnswerLanguage;
  published_number: number | null;
  draft_source: string | null;
  draft_by_name: string | null;
  draft_saved_at: string | null;
  created_at: string;
  /** The published version's source, title, category and date; null while only a draft exists. */
  source: string | null;
  title: string | null;
  category: string | null;
  published_at: string | null;
}

/** What a publication writes: the version and who published it. */
export interface NewVersion {
  answerId: string;
  /** English unless told. */
  language?: AnswerLanguage;
  number: number;
  source: string;
  title: string;
  category: string;
  by: string;
  byName: string | null;
  at: string;
  restoredFrom?: number | null;
}

const toNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function answersWithPublished(db: Db) {
  return db('faq_answers as a')
    .leftJoin('faq_versions as v', function () {
      this.on('v.answer_id', '=', 'a.id').andOn('v.language', '=', 'a.language').andOn('v.number', '=', 'a.published_number');
    })
    .select(
      'a.id',
      'a.language',
      'a.published_number',
      'a.draft_source',
      'a.draft_by_name',
      'a.draft_saved_at',
      'a.created_at',
      'v.source',
      'v.title',
      'v.category',
      'v.published_at',
    );
}

const toAnswerRow = (row: AnswerRow): AnswerRow => ({ ...row, published_number: toNumber(row.published_number) });

/** The number that moves with every published change (the search index is rebuilt when it has). */
export async function readChangeCount(db: Db): Promise<number> {
  const row = (await db('faq_state').where({ id: 1 }).first('change_count')) as { change_count: number | string } | undefined;
  return Number(row?.change_count ?? 0);
}

export async function bumpChangeCount(trx: Db): Promise<void> {
  await trx('faq_state')
    .where({ id: 1 })
    .update({ change_count: trx.raw('change_count + 1') });
}

/**
 * Marks the database as filled (by faq-content/ or an import), once: true for the one caller that
 * marked it. Inside that caller's transaction, a second process starting at the same moment waits for
 * it and then finds it done.
 */
export async function claimFirstFill(trx: Db, at: string): Promise<boolean> {
  return (await trx('faq_state').where({ id: 1 }).whereNull('seeded_at').update({ seeded_at: at })) === 1;
}

/** Every published answer's source, by id, in every language (`language`: only that one). */
export async function publishedSources(
  db: Db,
  language?: AnswerLanguage,
): Promise<Array<{ id: string; language: AnswerLanguage; source: string }>> {
  const query = db('faq_answers as a')
    .join('faq_versions as v', function () {
      this.on('v.answer_id', '=', 'a.id').andOn('v.language', '=', 'a.language').andOn('v.number', '=', 'a.published_number');
    })
    .orderBy([{ column: 'a.language' }, { column: 'a.id' }])
    .select('a.id', 'a.language', 'v.source');
  if (language) query.where('a.language', language);
  return (await query) as Array<{ id: string; language: AnswerLanguage; source: string }>;
}

/** Every answer in one language, published or draft, with its published version's title and category. */
export async function listAnswers(db: Db, language: AnswerLanguage = 'en'): Promise<AnswerRow[]> {
  return ((await answersWithPublished(db).where('a.language', language).orderBy('a.id')) as AnswerRow[]).map(toAnswerRow);
}

export async function findAnswer(db: Db, id: string, language: AnswerLanguage = 'en'): Promise<AnswerRow | undefined> {
  const row = (await answersWithPublished(db).where('a.id', id).where('a.language', language).first()) as AnswerRow | undefined;
  return row && toAnswerRow(row);
}

/** Ids of every answer in one language (`published`: only those with a published version). */
export async function answerIds(db: Db, options: { published?: boolean; language?: AnswerLanguage } = {}): Promise<Set<string>> {
  const query = db('faq_answers')
    .select('id')
    .where('language', options.language ?? 'en');
  if (options.published) query.whereNotNull('published_number');
  return new Set(((await query) as Array<{ id: string }>).map((r) => r.id));
}

/** A new answer, without a version yet. A second answer with the same id and language is refused by the primary key. */
export async function insertAnswer(trx: Db, id: string, at: string, language: AnswerLanguage = 'en'): Promise<void> {
  await trx('faq_answers').insert({ id, language, published_number: null, created_at: at });
}

export async function saveDraft(
  trx: Db,
  id: string,
  draft: { source: string; by: string; byName: string | null; at: string },
  language: AnswerLanguage = 'en',
) {
  await trx('faq_answers')
    .where({ id, language })
    .update({ draft_source: draft.source, draft_by: draft.by, draft_by_name: draft.byName, draft_saved_at: draft.at });
}

/**
 * Writes version `number` and makes it the published one, dropping the draft, only if the published
 * version is still `previous` (null: none yet). False when someone else published in between (then
 * nothing is written: the caller's transaction rolls back).
 */
export async function publishVersion(trx: Db, version: NewVersion, previous: number | null): Promise<boolean> {
  const language = version.language ?? 'en';
  const moved = await trx('faq_answers')
    .where({ id: version.answerId, language })
    .where((q) => (previous === null ? q.whereNull('published_number') : q.where('published_number', previous)))
    .update({ published_number: version.number, draft_source: null, draft_by: null, draft_by_name: null, draft_saved_at: null });
  if (moved !== 1) return false;
  await trx('faq_versions').insert({
    answer_id: version.answerId,
    language,
    number: version.number,
    source: version.source,
    title: version.title,
    category: version.category,
    published_by: version.by,
    published_by_name: version.byName,
    published_at: version.at,
    restored_from: version.restoredFrom ?? null,
  });
  return true;
}

/** Every published version of an answer in one language, newest first. */
export async function listVersions(db: Db, answerId: string, language: AnswerLanguage = 'en'): Promise<VersionRow[]> {
  const rows = (await db('faq_versions').where({ answer_id: answerId, language }).orderBy('number', 'desc')) as VersionRow[];
  return rows.map((r) => ({ ...r, number: Number(r.number), restored_from: toNumber(r.restored_from) }));
}

export async function findVersion(
  db: Db,
  answerId: string,
  number: number,
  language: AnswerLanguage = 'en',
): Promise<VersionRow | undefined> {
  const row = (await db('faq_versions').where({ answer_id: answerId, language, number }).first()) as VersionRow | undefined;
  return row && { ...row, number: Number(row.number), restored_from: toNumber(row.restored_from) };
}

/** The synonym table of one language: each term with the words that mean the same to a filer, by term. */
export async function listSynonyms(
  db: Db,
  language: AnswerLanguage = 'en',
): Promise<Array<{ term: string; equivalents: string[] }>> {
  const rows = (await db('faq_synonyms').where({ language }).select('term', 'equivalents')) as Array<{
    term: string;
    equivalents: string;
  }>;
  // Sorted here, not by the database, whose collation differs between SQLite and PostgreSQL: an
  // export is the same file on either.
  return rows
    .map((r) => ({ term: r.term, equivalents: JSON.parse(r.equivalents) as string[] }))
    .sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}

/** Replaces the whole synonym table of one language. */
export async function replaceSynonyms(
  trx: Db,
  groups: Array<{ term: string; equivalents: string[] }>,
  language: AnswerLanguage = 'en',
): Promise<void> {
  await trx('faq_synonyms').where({ language }).delete();
  for (let i = 0; i < groups.length; i += 200)
    await trx('faq_synonyms').insert(
      groups.slice(i, i + 200).map((g) => ({ language, term: g.term, equivalents: JSON.stringify(g.equivalents) })),
    );
}

import type { AuditService } from '../audit/audit.service';
import type { CourtProfile } from '../config/court-profile';
import { isUniqueViolation } from '../db/constraint-errors';
import type { Db } from '../db/knex';
import { Conflict, Invalid, NotFound, type FieldError } from '../errors';
import { ANSWER_ID, checkAnswerSource, readAnswerSource, type AnswerProblem } from './faq-answer-check';
import * as repo from './faq-answers.repository';
import { fieldsOfForm, formOfFields, type AnswerForm } from './faq-authoring.schema';
import { placeholderValues, renderAnswer, type FaqAnswer } from './faq-content';
import { diffSources, type DiffLine } from './faq-diff';
import { fieldsOf, formatSource, parseSource } from './faq-document';
import type { FaqLibrary } from './faq-library';
import { formatSynonymLines, parseSynonymLines } from './faq-synonyms';

/** Who is writing: a staff member (their name kept as it was then). */
export interface Editor {
  id: number;
  name: string;
  /** The client's address, for the audit log. */
  address?: string;
}

/**
 * Where an answer stands: published, a draft never published, or published with a draft of a change;
 * for a translation, also `untranslated` (the English answer exists, this language's version not yet).
 */
export type AnswerStatus = 'published' | 'draft' | 'changed' | 'untranslated';

type Language = repo.AnswerLanguage;

// Paths of the staff pages that an answer id must not take.
const RESERVED_IDS = new Set(['new', 'synonyms', 'searches']);

const actorOf = (editor: Editor) => ({ by: `staff:${editor.id}`, byName: editor.name.slice(0, 200) });
/** An answer's row in one language; `stored` false: a translation not begun (its text is the English one, to start from). */
type LanguageRow = repo.AnswerRow & { stored: boolean };

const statusOf = (row: repo.AnswerRow & { stored?: boolean }): AnswerStatus =>
  row.stored === false
    ? 'untranslated'
    : row.published_number === null
      ? 'draft'
      : row.draft_source !== null
        ? 'changed'
        : 'published';

const toFieldErrors = (problems: AnswerProblem[]): FieldError[] =>
  problems.map((p) => ({ field: p.field === 'front_matter' ? undefined : p.field, code: p.code, message: sentence(p.message) }));

/** "related answer … does not exist" → "Related answer … does not exist." */
function sentence(message: string): string {
  const text = message.replace(/^front matter [\w.]+: /, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * Staff keep the FAQ (SPEC §11): drafts, publication (a new version, searchable at once in every
 * process), history with a comparison of versions, restore, and the synonym table. The role needed
 * to publish is checked by the route table.
 */
export function createFaqAuthoring(deps: {
  db: Db;
  library: FaqLibrary;
  profile: CourtProfile;
  now: () => Date;
  audit?: AuditService;
}) {
  const { db } = deps;
  const valuesIn = (language: Language) => placeholderValues(deps.profile, language);

  /**
   * The answer in one language. A translation not begun yet is not stored: it comes back with
   * `stored: false` and the English text to start from; there must be an English answer.
   */
  async function answerOr404(id: string, language: Language = 'en'): Promise<LanguageRow> {
    const row = ANSWER_ID.test(id) ? await repo.findAnswer(db, id, language) : undefined;
    if (row) return { ...row, stored: true };
    if (language === 'en') throw new NotFound('There is no answer with this address.');
    const english = await answerOr404(id, 'en');
    return {
      ...english,
      language,
      published_number: null,
      draft_source: null,
      draft_by_name: null,
      draft_saved_at: null,
      source: english.draft_source ?? english.source,
      title: null,
      category: english.category,
      published_at: null,
      stored: false,
    };
  }

  /**
   * The form checked and written as a Markdown file. For publication, related answers and links must
   * be published answers (a filer would find nothing at the other end); for a draft, any answer.
   */
  async function checkForm(form: AnswerForm, id: string | null, purpose: 'draft' | 'publish') {
    const problems: AnswerProblem[] = [];
    const answerId = id ?? form.id.trim();
    if (id === null) {
      if (!answerId)
        problems.push({ field: 'id', code: 'required', message: 'Give the answer an address, for example forgot-password.' });
      else if (!ANSWER_ID.test(answerId) || answerId.length > 100)
        problems.push({
          field: 'id',
          code: 'invalid',
          message: 'Use lowercase words joined by hyphens, for example forgot-password.',
        });
      else if (RESERVED_IDS.has(answerId))
        problems.push({
          field: 'id',
          code: 'reserved',
          message: `"${answerId}" is the address of a staff page; choose another.`,
        });
      else if (await repo.findAnswer(db, answerId))
        problems.push({
          field: 'id',
          code: 'duplicate_id',
          message: `An answer with the address "${answerId}" already exists; edit it instead.`,
        });
    }
    const fields = fieldsOfForm(form, answerId);
    const source = formatSource(fields, form.body);
    // A translation links to answers by their (English) ids, as the English answer does.
    const known = await repo.answerIds(db, { published: purpose === 'publish' });
    known.add(answerId);
    const checked = checkAnswerSource(source, (other) => known.has(other));
    // The id's own problems were said above in words for the form.
    problems.push(...checked.problems.filter((p) => p.field !== 'id' || id !== null));
    if (fields.related.includes(answerId))
      problems.push({ field: 'related', code: 'related_to_itself', message: 'An answer cannot be related to itself.' });
    return { answerId, source, problems, frontMatter: checked.frontMatter, body: checked.body };
  }

  async function audited(
    answerId: string,
    version: number,
    editor: Editor,
    trx: Db,
    restoredFrom: number | undefined,
    language: Language,
  ) {
    const details: Record<string, number | string> = { version };
    if (restoredFrom) details.restoredFrom = restoredFrom;
    if (language !== 'en') details.language = language;
    await deps.audit?.record(
      {
        actor: { staffId: editor.id, name: editor.name },
        action: 'faq.published',
        subject: { type: 'faq_answer', id: answerId },
        details,
        address: editor.address,
      },
      trx,
    );
  }

  /**
   * Publishes `source` as the next version of `answerId` if the published version is still `previous`
   * (`create`: a new answer, made in the same transaction), then rebuilds this process's index.
   */
  async function publishSource(
    answerId: string,
    source: string,
    previous: number | null,
    editor: Editor,
    options: { restoredFrom?: number; create?: boolean; language?: Language } = {},
  ): Promise<number> {
    const language = options.language ?? 'en';
    const { frontMatter } = readAnswerSource(source);
    if (!frontMatter) throw new Error(`answer ${answerId}: publishing a version whose front matter does not read`);
    const number = (previous ?? 0) + 1;
    const at = deps.now().toISOString();
    try {
      await db.transaction(async (trx) => {
        if (options.create) await repo.insertAnswer(trx, answerId, at, language);
        const version = { answerId, language, number, source, title: frontMatter.title, category: frontMatter.category };
        if (
          !(await repo.publishVersion(trx, { ...version, ...actorOf(editor), at, restoredFrom: options.restoredFrom }, previous))
        )
          throw new StalePublication();
        await repo.bumpChangeCount(trx);
        await audited(answerId, number, editor, trx, options.restoredFrom, language);
      });
    } catch (error) {
      if (options.create && isUniqueViolation(error)) throw duplicateId(answerId);
      if (error instanceof StalePublication || isUniqueViolation(error)) throw publishedMeanwhile();
      throw error;
    }
    // Searchable at once here; other processes see the counter move within a second.
    await deps.library.reload();
    return number;
  }

  return {
    /** Every answer with its status, and the status of its Spanish version, for the list. */
    async list() {
      const [rows, spanish] = await Promise.all([repo.listAnswers(db), repo.listAnswers(db, 'es')]);
      const spanishStatus = new Map(spanish.map((row) => [row.id, statusOf(row)]));
      return rows.map((row) => {
        const draft = row.draft_source === null ? undefined : fieldsOf(parseSource(row.draft_source).frontMatter);
        return {
          id: row.id,
          title: row.title ?? draft?.title ?? row.id,
          category: row.category ?? draft?.category ?? '',
          status: statusOf(row),
          publishedNumber: row.published_number,
          publishedAt: row.published_at,
          draftByName: row.draft_by_name,
          draftSavedAt: row.draft_saved_at,
          spanishStatus: spanishStatus.get(row.id) ?? ('untranslated' as AnswerStatus),
        };
      });
    },

    /** An answer as the edit form shows it: the draft if there is one, else the published version. */
    async editable(id: string, language: Language = 'en') {
      const row = await answerOr404(id, language);
      const source = row.draft_source ?? (row.source as string);
      const { frontMatter, body } = parseSource(source);
      return { form: formOfFields(fieldsOf(frontMatter), body, row.published_number), status: statusOf(row), row };
    },

    /** The answer as filers would see it, and what stops it from being published. */
    async preview(
      form: AnswerForm,
      id: string | null,
      language: Language = 'en',
    ): Promise<{ answer: FaqAnswer | null; errors: FieldError[] }> {
      const checked = await checkForm(form, id, 'publish');
      const answer = checked.frontMatter ? renderAnswer(checked.frontMatter, checked.body, valuesIn(language)) : null;
      return { answer, errors: toFieldErrors(checked.problems) };
    },

    /** Saves the form as the answer's draft (a new answer is created as a draft). Filers do not see it. */
    async saveDraft(form: AnswerForm, id: string | null, editor: Editor, language: Language = 'en'): Promise<string> {
      if (id === null && language !== 'en') throw new NotFound('A new answer is written in English first.');
      const checked = await checkForm(form, id, 'draft');
      if (checked.problems.length > 0) throw new Invalid(toFieldErrors(checked.problems));
      const at = deps.now().toISOString();
      const existing = id !== null ? await answerOr404(id, language) : undefined;
      try {
        await db.transaction(async (trx) => {
          if (!existing?.stored) await repo.insertAnswer(trx, checked.answerId, at, language);
          await repo.saveDraft(trx, checked.answerId, { source: checked.source, ...actorOf(editor), at }, language);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicateId(checked.answerId);
        throw error;
      }
      return checked.answerId;
    },

    /** Publishes the form as the answer's next version; the draft, if any, goes. */
    async publish(
      form: AnswerForm,
      id: string | null,
      editor: Editor,
      language: Language = 'en',
    ): Promise<{ id: string; number: number }> {
      if (id === null && language !== 'en') throw new NotFound('A new answer is written in English first.');
      const checked = await checkForm(form, id, 'publish');
      if (checked.problems.length > 0) throw new Invalid(toFieldErrors(checked.problems));
      if (id === null)
        return {
          id: checked.answerId,
          number: await publishSource(checked.answerId, checked.source, null, editor, { create: true }),
        };
      const row = await answerOr404(id, language);
      const base = form.baseNumber === '' ? null : Number(form.baseNumber);
      if (base !== row.published_number) throw publishedMeanwhile();
      return {
        id,
        number: await publishSource(id, checked.source, row.published_number, editor, { language, create: !row.stored }),
      };
    },

    /** Every published version in one language, newest first, each with what changed from the one before. */
    async history(id: string, language: Language = 'en') {
      const row = await answerOr404(id, language);
      const versions = await repo.listVersions(db, id, language);
      return {
        row,
        status: statusOf(row),
        versions: versions.map((v, i) => ({
          ...v,
          current: v.number === row.published_number,
          changes: i + 1 < versions.length ? diffSources(versions[i + 1].source, v.source) : null,
        })),
      };
    },

    /** The lines that differ between two versions of an answer (`from` older or newer, as chosen). */
    async compare(id: string, from: number, to: number, language: Language = 'en'): Promise<DiffLine[] | null> {
      const [a, b] = await Promise.all([repo.findVersion(db, id, from, language), repo.findVersion(db, id, to, language)]);
      return a && b ? diffSources(a.source, b.source) : null;
    },

    /** Publishes an earlier version again, as a new version equal to it. */
    async restore(id: string, number: number, editor: Editor, language: Language = 'en'): Promise<number> {
      const row = await answerOr404(id, language);
      const version = await repo.findVersion(db, id, number, language);
      if (!version) throw new NotFound('There is no such version of this answer.');
      if (version.number === row.published_number)
        throw new Invalid([
          { field: 'number', code: 'already_current', message: `Version ${number} is already the published one.` },
        ]);
      // The old text must still pass today's checks: an answer it links to may be gone.
      const known = await repo.answerIds(db, { published: true });
      const problems = checkAnswerSource(version.source, (other) => known.has(other)).problems;
      if (problems.length > 0) throw new Invalid(toFieldErrors(problems).map((e) => ({ ...e, field: 'number' })));
      return publishSource(id, version.source, row.published_number, editor, { restoredFrom: number, language });
    },

    /** One language's synonym table as the editor's lines. */
    async synonymLines(language: Language = 'en'): Promise<string> {
      return formatSynonymLines(await repo.listSynonyms(db, language));
    },

    /** Replaces one language's synonym table from the editor's lines; searchable at once, like an answer. */
    async saveSynonyms(lines: string, editor: Editor, language: Language = 'en'): Promise<number> {
      const { groups, problems } = parseSynonymLines(lines);
      if (problems.length > 0)
        throw new Invalid(problems.slice(0, 10).map((p) => ({ field: 'lines', code: 'invalid_line', message: p.message })));
      await db.transaction(async (trx) => {
        await repo.replaceSynonyms(trx, groups, language);
        await repo.bumpChangeCount(trx);
        await deps.audit?.record(
          {
            actor: { staffId: editor.id, name: editor.name },
            action: 'faq.published',
            details: language === 'en' ? { synonymGroups: groups.length } : { synonymGroups: groups.length, language },
            address: editor.address,
          },
          trx,
        );
      });
      await deps.library.reload();
      return groups.length;
    },
  };
}

class StalePublication extends Error {}

const duplicateId = (id: string) =>
  new Invalid([
    { field: 'id', code: 'duplicate_id', message: `An answer with the address "${id}" already exists; edit it instead.` },
  ]);

const publishedMeanwhile = () =>
  new Conflict(
    'published_meanwhile',
    'Someone else published a change to this answer after you opened it. Your text is below: open the answer again in another tab, compare, and publish again.',
  );

export type FaqAuthoring = ReturnType<typeof createFaqAuthoring>;

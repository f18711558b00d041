import type { Request, RequestHandler, Response } from 'express';
import { formatInstant } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { AppError, NotFound, type FieldError } from '../errors';
import { fieldErrors, noticeTable, parseOrThrow } from '../http/validate';
import { staffOf } from '../staff/auth.middleware';
import { roleAtLeast } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repository';
import { ANSWER_ID, FAQ_CATEGORIES, MAX_BODY_LENGTH, PLACEHOLDERS } from './faq-answer-check';
import type { AnswerStatus, Editor, FaqAuthoring } from './faq-authoring';
import {
  answerFormMessages,
  answerFormSchema,
  restoreFormSchema,
  restoreMessages,
  searchesMessages,
  searchesQuerySchema,
  synonymsFormSchema,
  synonymsMessages,
  type AnswerForm,
} from './faq-authoring.schema';
import { placeholderValues, type FaqAnswer } from './faq-content';
import { faqEventCounts } from './faq.repository';
import { answerTotals, searchSummary, searchTotals } from './faq-usage.repository';
import type { FaqUsage } from './faq-usage';

const DONE = noticeTable({
  draft: 'Draft saved. Filers still see the published version (if there is one) until the answer is published.',
  published: 'Published. Filers find the new version in search and on the answer page now.',
  restored: 'Restored: the earlier version is published again, as a new version.',
  synonyms: 'Synonyms saved. Searches use them now.',
});

const STATUS_WORDS: Record<AnswerStatus, string> = {
  published: 'Published',
  draft: 'Draft, never published',
  changed: 'Published, with a draft of a change',
  untranslated: 'Not written in this language yet: the English text is in the form to start from',
};

type Language = 'en' | 'es';
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish (Español)' };

/** The language of the version staff are working on (`?lang=es`); English unless told. */
const languageOf = (req: Request): Language => (req.query.lang === 'es' ? 'es' : 'en');
/** What to add to a staff FAQ address to stay in that language. */
const langQuery = (language: Language, more = '') =>
  language === 'en' ? (more ? `?${more}` : '') : `?lang=${language}${more ? `&${more}` : ''}`;

const PLACEHOLDER_WORDS: Record<(typeof PLACEHOLDERS)[number], string> = {
  'court.name': "the court's name",
  'helpdesk.email': "the helpdesk's email address",
  'helpdesk.phone': "the helpdesk's phone number",
  hours: 'the helpdesk hours, in words',
  timezone: "the court's time zone",
  maintenance: 'the CM/ECF maintenance window, in words',
};

const RANGE_DAYS = 30;
const TOP = 25;

const me = (res: Response) => staffOf(res) as StaffUser;
const editorOf = (req: Request, res: Response): Editor => ({ id: me(res).id, name: me(res).name, address: req.ip });

/** The court's date of an instant, YYYY-MM-DD. */
function courtDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Staff pages of the FAQ (SPEC §11): the list, the editor, history and restore, synonyms, search analytics. */
export function faqStaffHandlers(deps: {
  db: Db;
  authoring: FaqAuthoring;
  usage: FaqUsage;
  profile: CourtProfile;
  now: () => Date;
}) {
  const { authoring, profile } = deps;
  const when = (iso: string | null) => (iso ? formatInstant(iso, profile.timezone) : '');
  const who = (by: string, name: string | null) =>
    name ?? (by === 'seed' ? 'faq-content/ (first start)' : by === 'cli' ? 'the command line (faq:import)' : by);

  const list: RequestHandler = async (req, res) => {
    await deps.usage.flush();
    const [answers, events, totals] = await Promise.all([authoring.list(), faqEventCounts(deps.db), answerTotals(deps.db)]);
    const rows = answers.map((a) => ({
      ...a,
      statusWords: STATUS_WORDS[a.status],
      spanishWords: a.spanishStatus === 'untranslated' ? 'Not yet' : STATUS_WORDS[a.spanishStatus],
      events: events.get(a.id) ?? {},
      views: totals.get(a.id)?.views ?? 0,
      requestsFollowed: totals.get(a.id)?.requestsFollowed ?? 0,
      changedWhen: when(a.draftSavedAt ?? a.publishedAt),
    }));
    const groups = [...FAQ_CATEGORIES, '']
      .map((category) => ({ category: category || 'No category yet', answers: rows.filter((r) => r.category === category) }))
      .filter((g) => g.answers.length > 0);
    res.render('staff/faq-list', {
      title: 'FAQ answers',
      groups,
      canPublish: roleAtLeast(me(res).role, 'editor'),
      notice: DONE(req.query.done),
    });
  };

  /** The editor page: the form, and the preview or the problems when there are. */
  async function renderEditor(
    res: Response,
    page: { id: string | null; form: AnswerForm; status?: AnswerStatus; httpStatus?: number; language?: Language },
    extra: { preview?: FaqAnswer | null; errors?: FieldError[]; problem?: string; notice?: string | null } = {},
  ) {
    const errors = extra.errors ?? [];
    const answers = await authoring.list();
    const language = page.language ?? 'en';
    const values = placeholderValues(profile, language);
    res.status(page.httpStatus ?? 200).render('staff/faq-edit', {
      title: page.id
        ? `Edit: ${page.form.title || page.id}${language === 'en' ? '' : ` (${LANGUAGE_NAMES[language]})`}`
        : 'New answer',
      id: page.id,
      answerLanguage: language,
      langQuery: langQuery(language),
      // The languages of an answer, one tab each (a new answer is written in English first).
      languageTabs: page.id
        ? (['en', 'es'] as const).map((l) => ({
            name: LANGUAGE_NAMES[l],
            href: `/staff/faq/${page.id}/edit${langQuery(l)}`,
            current: l === language,
          }))
        : [],
      form: page.form,
      statusWords: page.status ? STATUS_WORDS[page.status] : 'New, not saved yet',
      action: page.id ? `/staff/faq/${page.id}` : '/staff/faq/new',
      categories: FAQ_CATEGORIES,
      others: answers.filter((a) => a.id !== page.id).map((a) => ({ id: a.id, title: a.title, status: a.status })),
      placeholders: PLACEHOLDERS.map((key) => ({ key, words: PLACEHOLDER_WORDS[key], value: values[key] })),
      maxBody: MAX_BODY_LENGTH,
      canPublish: roleAtLeast(me(res).role, 'editor'),
      preview: extra.preview ?? null,
      errors: Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field, e])),
      errorList: errors.map((e) => ({ message: e.message, href: `#answer-${e.field ?? 'form'}` })),
      problem: extra.problem ?? null,
      notice: extra.notice ?? null,
    });
  }

  const idOf = (req: Request): string => {
    const id = String(req.params.id);
    if (!ANSWER_ID.test(id)) throw new NotFound('There is no answer with this address.');
    return id;
  };

  /** The posted form; a field that is not text at all is a bad request. */
  const formOf = (req: Request): AnswerForm => parseOrThrow(answerFormSchema, req.body, answerFormMessages);

  const newForm: RequestHandler = (_req, res) =>
    renderEditor(res, {
      id: null,
      form: { id: '', title: '', category: '', keywords: '', asks: '', related: '', body: '', baseNumber: '' },
    });

  const editForm: RequestHandler = async (req, res) => {
    const language = languageOf(req);
    const { form, status } = await authoring.editable(idOf(req), language);
    await renderEditor(res, { id: idOf(req), form, status, language }, { notice: DONE(req.query.done) });
  };

  /** Runs a save or a publication; bad input or a clash shows the editor again with the text kept. */
  const attempt =
    (
      isNew: boolean,
      run: (form: AnswerForm, id: string | null, req: Request, res: Response, language: Language) => Promise<string>,
    ): RequestHandler =>
    async (req, res) => {
      const id = isNew ? null : idOf(req);
      const language = isNew ? 'en' : languageOf(req);
      const status = id ? (await authoring.editable(id, language)).status : undefined;
      let form: AnswerForm | undefined;
      try {
        form = formOf(req);
        res.redirect(303, await run(form, id, req, res, language));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
        const kept = form ?? { ...answerFormSchema.parse({}), ...pickText(req.body) };
        await renderEditor(
          res,
          { id, form: kept, status, httpStatus: error.status, language },
          error.status === 409 ? { problem: error.message } : { errors: error.toErrors() },
        );
      }
    };

  const previewOf =
    (isNew: boolean): RequestHandler =>
    async (req, res) => {
      const id = isNew ? null : idOf(req);
      const language = isNew ? 'en' : languageOf(req);
      const status = id ? (await authoring.editable(id, language)).status : undefined;
      const parsed = answerFormSchema.safeParse(req.body);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error.issues, answerFormMessages, req.body);
        return renderEditor(
          res,
          { id, form: { ...answerFormSchema.parse({}), ...pickText(req.body) }, status, httpStatus: 400, language },
          { errors },
        );
      }
      const { answer, errors } = await authoring.preview(parsed.data, id, language);
      await renderEditor(res, { id, form: parsed.data, status, language }, { preview: answer, errors });
    };

  const saveDraftOf = (isNew: boolean) =>
    attempt(isNew, async (form, id, req, res, language) => {
      const saved = await authoring.saveDraft(form, id, editorOf(req, res), language);
      return `/staff/faq/${saved}/edit${langQuery(language, 'done=draft')}`;
    });

  const publishOf = (isNew: boolean) =>
    attempt(isNew, async (form, id, req, res, language) => {
      const published = await authoring.publish(form, id, editorOf(req, res), language);
      return `/staff/faq/${published.id}/history${langQuery(language, 'done=published')}`;
    });

  /** Renders the history page, with a comparison of two chosen versions when asked. */
  async function renderHistory(req: Request, res: Response, httpStatus = 200, problem: string | null = null) {
    const id = idOf(req);
    const language = languageOf(req);
    const { row, status, versions } = await authoring.history(id, language);
    const from = Number(req.query.from);
    const to = Number(req.query.to);
    const comparison =
      Number.isInteger(from) && Number.isInteger(to) && from > 0 && to > 0
        ? await authoring.compare(id, from, to, language)
        : null;
    res.status(httpStatus).render('staff/faq-history', {
      title: `History: ${row.title ?? id}${language === 'en' ? '' : ` (${LANGUAGE_NAMES[language]})`}`,
      id,
      answerLanguage: language,
      languageName: LANGUAGE_NAMES[language],
      langQuery: langQuery(language),
      answerTitle: row.title ?? id,
      statusWords: STATUS_WORDS[status],
      versions: versions.map((v) => ({ ...v, who: who(v.published_by, v.published_by_name), when: when(v.published_at) })),
      comparison: comparison ? { from, to, lines: comparison } : null,
      canPublish: roleAtLeast(me(res).role, 'editor'),
      notice: DONE(req.query.done),
      problem,
    });
  }

  const history: RequestHandler = (req, res) => renderHistory(req, res);

  const restore: RequestHandler = async (req, res) => {
    const id = idOf(req);
    try {
      const { number } = parseOrThrow(restoreFormSchema, req.body, restoreMessages);
      const language = languageOf(req);
      await authoring.restore(id, number, editorOf(req, res), language);
      res.redirect(303, `/staff/faq/${id}/history${langQuery(language, 'done=restored')}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
      await renderHistory(
        req,
        res,
        error.status,
        error
          .toErrors()
          .map((e) => e.message)
          .join(' '),
      );
    }
  };

  const synonymTabs = (language: Language) =>
    (['en', 'es'] as const).map((l) => ({
      name: LANGUAGE_NAMES[l],
      href: `/staff/faq/synonyms${langQuery(l)}`,
      current: l === language,
    }));

  const synonyms: RequestHandler = async (req, res) => {
    const language = languageOf(req);
    res.render('staff/faq-synonyms', {
      title: language === 'en' ? 'Search synonyms' : `Search synonyms (${LANGUAGE_NAMES[language]})`,
      langQuery: langQuery(language),
      languageTabs: synonymTabs(language),
      lines: await authoring.synonymLines(language),
      canPublish: roleAtLeast(me(res).role, 'editor'),
      errors: [],
      notice: DONE(req.query.done),
    });
  };

  const saveSynonyms: RequestHandler = async (req, res) => {
    const lines =
      typeof (req.body as Record<string, unknown>).lines === 'string' ? String((req.body as { lines: string }).lines) : '';
    try {
      const form = parseOrThrow(synonymsFormSchema, req.body, synonymsMessages);
      await authoring.saveSynonyms(form.lines, editorOf(req, res), languageOf(req));
      res.redirect(303, `/staff/faq/synonyms${langQuery(languageOf(req), 'done=synonyms')}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      res.status(error.status).render('staff/faq-synonyms', {
        title: 'Search synonyms',
        langQuery: langQuery(languageOf(req)),
        languageTabs: synonymTabs(languageOf(req)),
        lines,
        canPublish: true,
        errors: error.toErrors(),
        notice: null,
      });
    }
  };

  const searches: RequestHandler = async (req, res) => {
    const today = courtDate(deps.now(), profile.timezone);
    const defaultFrom = courtDate(new Date(deps.now().getTime() - (RANGE_DAYS - 1) * 86_400_000), profile.timezone);
    const parsed = searchesQuerySchema.safeParse(req.query);
    const errors = parsed.success ? [] : fieldErrors(parsed.error.issues, searchesMessages, req.query);
    let from = (parsed.success && parsed.data.from) || defaultFrom;
    let to = (parsed.success && parsed.data.to) || today;
    if (from > to) [from, to] = [to, from];
    await deps.usage.flush();
    const range = { from, to };
    const [summary, top, noResults, followed] = await Promise.all([
      searchSummary(deps.db, range),
      searchTotals(deps.db, range, 'searches', TOP),
      searchTotals(deps.db, range, 'no_results', TOP),
      searchTotals(deps.db, range, 'followed_by_request', TOP),
    ]);
    res.status(errors.length > 0 ? 400 : 200).render('staff/faq-searches', {
      title: 'What filers search for',
      from,
      to,
      summary,
      top,
      noResults,
      followed,
      errors,
    });
  };

  return {
    list,
    newForm,
    editForm,
    previewNew: previewOf(true),
    preview: previewOf(false),
    saveNewDraft: saveDraftOf(true),
    saveDraft: saveDraftOf(false),
    publishNew: publishOf(true),
    publish: publishOf(false),
    history,
    restore,
    synonyms,
    saveSynonyms,
    searches,
  };
}

/** The text fields of a posted form, to show it again as it was typed. */
function pickText(body: unknown): Partial<AnswerForm> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>))
    if (
      typeof value === 'string' &&
      ['id', 'title', 'category', 'keywords', 'asks', 'related', 'body', 'baseNumber'].includes(key)
    )
      kept[key] = value;
  return kept;
}

import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from '../attachments/attachment-policy';
import { describeFileSize } from '../attachments/uploaded-file';
import type { Config } from '../config';
import { formFiles } from '../http/multipart-form';
import { errorsByField, fieldErrors, noticeTable } from '../http/validate';
import { isLanguage, type Language } from '../i18n/i18n';
import { LANGUAGE_COOKIE, languageOf, setPageLanguage } from '../i18n/page-language';
import { PRIVACY_WARNING, REFUSAL_TEXT } from '../policy/refusal-messages';
import { referralItems, telHref } from '../referrals/referrals';
import { attachmentHint, checkFormFiles, FILE_FIELD, MAX_FILES } from './form-attachments';
import { requestLanguage } from './request-language';
import type { SentFile } from './requester-files';
import { formatFilerInstant, statusOutlook } from './status-outlook';
import { newTicketSchema, replyMessages, replySchema, ticketMessages } from './ticket.schema';
import type { TicketService, TicketView } from './tickets.service';
import type { TicketMessage } from './ticket.types';

const FORM_FIELDS = ['name', 'email', 'phone', 'subject', 'body', 'caseNumber'] as const;

/** Only the known fields, as strings, for re-showing a form (never the raw body). */
function formValues(body: unknown): Record<string, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(FORM_FIELDS.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string) : '']));
}

function baseUrl(config: Config, req: Request): string {
  return config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
}

const tokenOf = (req: Request) => String(req.params.token);

const REFUSALS = ['judge_contact', 'legal_advice'] as const;

/** Calls booked about a ticket and not over yet; the callbacks service provides them. */
export type UpcomingCallbacks = (ticketId: number) => Promise<Array<{ start: string; end: string }>>;

export interface RequestPageDeps {
  upcomingCallbacks?: UpcomingCallbacks;
  now?: () => Date;
}

/** The same limits as email attachments (SPEC §15): the configured size, the default kinds. */
export function webAttachmentLimits(config: Config): AttachmentLimits {
  return { ...DEFAULT_ATTACHMENT_LIMITS, maxBytes: Math.round(config.env.MAIL_ATTACHMENT_MAX_MB * 1024 * 1024) };
}

/**
 * The request form (/help) and the filer's private pages (/requests/:token): every word from the
 * `help`, `request`, `attachments` and `referrals` catalogues, in the page's language.
 */
export function requestPageHandlers(tickets: TicketService, config: Config, deps: RequestPageDeps = {}) {
  const limits = webAttachmentLimits(config);
  const now = deps.now ?? (() => new Date());
  const zone = config.profile.timezone;

  /** The refusal, declined parts, privacy warning and the court's referrals, in the page's language. */
  function policyNotices({ ticket }: TicketView, language: Language) {
    const categories = REFUSALS.filter((c) => ticket.flags.includes(c));
    const refused = ticket.status === 'rejected' ? (categories[0] ?? null) : null;
    return {
      refusal: refused ? REFUSAL_TEXT[language][refused] : null,
      referrals: refused ? referralItems(config.profile.referrals, refused, language) : [],
      declined: refused ? [] : categories.map((c) => REFUSAL_TEXT[language][c]),
      privacyWarning: ticket.flags.includes('privacy_redacted') ? PRIVACY_WARNING[language] : null,
      noticeLanguage: language,
      reviewRequested: ticket.flags.includes('review_requested'),
    };
  }

  /** The files the filer sent, by message, with their sizes in words. */
  async function filesByMessage(view: TicketView, language: Language) {
    const files = await tickets.sentFiles(view.ticket.id);
    const shown = (f: SentFile) => ({ ...f, sizeText: describeFileSize(f.size, language) });
    return (m: TicketMessage) =>
      files
        .filter((f) =>
          f.ticketMessageId !== null
            ? f.ticketMessageId === m.id
            : f.inboundMailId === m.inboundMailId && m.inboundMailId !== null,
        )
        .map(shown);
  }

  const formLocals = (res: Response, values: Record<string, string>, errorList: ReturnType<typeof fieldErrors>) => {
    const language = languageOf(res);
    const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
    return {
      title: errorList.length > 0 ? t('help:form.titleWithErrors') : t('help:form.title'),
      values,
      errors: errorsByField(errorList),
      errorList,
      fileField: FILE_FIELD,
      fileHint: attachmentHint(limits, res.locals.t, language),
      maxFiles: MAX_FILES,
      firstResponseHours: config.profile.firstResponseBusinessHours,
    };
  };

  const showForm: RequestHandler = (_req, res) => {
    res.render('tickets/new', formLocals(res, formValues({}), []));
  };

  /** "Change my request" from the confirmation step: the form again, with what was typed. */
  const editForm: RequestHandler = (req, res) => {
    res.render('tickets/new', formLocals(res, formValues(req.body), []));
  };

  const submitForm: RequestHandler = async (req, res) => {
    const language = languageOf(res);
    const files = checkFormFiles(formFiles(req), limits, res.locals.t, language);
    const parsed = newTicketSchema.safeParse(req.body);
    const list = [
      ...(parsed.success ? [] : fieldErrors(parsed.error.issues, ticketMessages, req.body, language)),
      ...files.errors,
    ];
    if (!parsed.success || files.errors.length > 0) {
      res.status(400).render('tickets/new', formLocals(res, formValues(req.body), list));
      return;
    }
    const body = req.body as Record<string, unknown>;
    // Without JavaScript the filer has not seen the answers suggested while typing: show them once
    // before the request is created. The script sets suggestionsSeen when it has shown some. Chosen
    // files cannot ride along a second form, so a request with files goes straight through (the
    // received page suggests the same answers).
    if (files.accepted.length === 0 && body.confirmed !== 'yes' && body.suggestionsSeen !== 'yes') {
      const suggestions = tickets.suggestionsForDraft(parsed.data.subject, parsed.data.body);
      if (suggestions.length > 0) {
        res.render('tickets/confirm', { title: res.locals.t('help:confirm.title'), values: formValues(req.body), suggestions });
        return;
      }
    }
    // Recorded in the page's language unless the text is clearly in the other one (see intakeLanguage).
    const created = await tickets.create(parsed.data, 'web', files.accepted, { page: languageOf(res) });
    res.redirect(303, `/requests/${created.statusToken}/received`);
  };

  /** The page shown in the ticket's language unless the filer chose one (the switch, ?lang= or its cookie). */
  async function useTicketLanguage(req: Request, res: Response, view: TicketView): Promise<Language> {
    const chosen = isLanguage(req.query.lang) || isLanguage(req.cookies?.[LANGUAGE_COOKIE]);
    if (!chosen) {
      const language = (await tickets.recordedLanguage(view.ticket.id)) ?? requestLanguage(view.ticket.subject, view.messages);
      setPageLanguage(req, res, language);
    }
    return languageOf(res);
  }

  async function pageLocals(req: Request, res: Response, view: TicketView) {
    const language = await useTicketLanguage(req, res, view);
    const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
    const outlook = statusOutlook(view.ticket, config.profile, now());
    const callbacks = deps.upcomingCallbacks ? await deps.upcomingCallbacks(view.ticket.id) : [];
    const notices = policyNotices(view, language);
    return {
      ...view,
      ...notices,
      reference: view.ticket.reference,
      filesOf: await filesByMessage(view, language),
      when: (iso: string) => formatFilerInstant(iso, zone, language),
      outlook: { kind: outlook.kind, when: 'by' in outlook ? formatFilerInstant(outlook.by, zone, language) : null },
      callbacks: callbacks.map((c) => ({ when: formatFilerInstant(c.start, zone, language) })),
      telHref,
      statusUrl: `${baseUrl(config, req)}/requests/${tokenOf(req)}`,
      statusPath: `/requests/${tokenOf(req)}`,
      fileField: FILE_FIELD,
      fileHint: attachmentHint(limits, res.locals.t, language),
      maxFiles: MAX_FILES,
      titleFor: (key: string) => t(key, { reference: view.ticket.reference }),
    };
  }

  const received: RequestHandler = async (req, res) => {
    const view = await tickets.viewByToken(tokenOf(req));
    const locals = await pageLocals(req, res, view);
    res.set('Cache-Control', 'no-store');
    res.render('tickets/received', {
      ...locals,
      title: locals.titleFor(locals.refusal ? 'help:refused.title' : 'help:received.title'),
      suggestions: locals.refusal ? [] : tickets.suggestionsFor(view),
    });
  };

  const NOTICES = noticeTable({ sent: 'sent', closed: 'closed', review: 'review' });

  async function renderStatus(req: Request, res: Response, status: number, extra: Record<string, unknown>) {
    const view = await tickets.viewByToken(tokenOf(req));
    const locals = await pageLocals(req, res, view);
    const notice = NOTICES(req.query.done);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('tickets/status', {
      ...locals,
      title: locals.titleFor('request:title'),
      notice: notice ? res.locals.t(`request:notices.${notice}`) : null,
      replyValue: '',
      replyErrors: {},
      replyErrorList: [],
      ...extra,
    });
  }

  const showStatus: RequestHandler = async (req, res) => {
    await renderStatus(req, res, 200, {});
  };

  const reply: RequestHandler = async (req, res) => {
    // Errors are written in the language the page comes back in: the request's, unless the filer chose.
    await useTicketLanguage(req, res, await tickets.viewByToken(tokenOf(req)));
    const files = checkFormFiles(formFiles(req), limits, res.locals.t, languageOf(res));
    const parsed = replySchema.safeParse(req.body);
    if (!parsed.success || files.errors.length > 0) {
      const list = [
        ...(parsed.success ? [] : fieldErrors(parsed.error.issues, replyMessages, req.body, languageOf(res))),
        ...files.errors,
      ];
      const source = req.body as Record<string, unknown> | undefined;
      const value = typeof source?.body === 'string' ? source.body : '';
      await renderStatus(req, res, 400, { replyValue: value, replyErrors: errorsByField(list), replyErrorList: list });
      return;
    }
    await tickets.replyAsRequester(tokenOf(req), parsed.data.body, files.accepted);
    res.redirect(303, `/requests/${tokenOf(req)}?done=sent#thread`);
  };

  const close: RequestHandler = async (req, res) => {
    await tickets.closeByRequester(tokenOf(req));
    res.redirect(303, `/requests/${tokenOf(req)}?done=closed`);
  };

  const review: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const explanation = typeof body.explanation === 'string' ? body.explanation.trim().slice(0, 5000) : '';
    await tickets.requestReview(tokenOf(req), explanation);
    res.redirect(303, `/requests/${tokenOf(req)}?done=review`);
  };

  return { showForm, editForm, submitForm, received, showStatus, reply, close, review };
}

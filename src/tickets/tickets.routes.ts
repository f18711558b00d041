import type { Request, RequestHandler } from 'express';
import type { Config } from '../config';
import { errorsByField, fieldErrors, noticeTable, parseOrThrow } from '../http/validate';
import { PRIVACY_WARNING, REFUSAL_TEXT } from '../policy/refusal-messages';
import type { RefusalCategory } from '../policy/scope-guard';
import { requestLanguage } from './request-language';
import { newTicketSchema, replyMessages, replySchema, ticketMessages } from './ticket.schema';
import type { TicketService, TicketView } from './tickets.service';

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

const REFUSALS: RefusalCategory[] = ['judge_contact', 'legal_advice'];

/**
 * What the filer must be told about the policy: a refusal, declined parts, masked numbers, in the
 * language the request was written in (`noticeLanguage`, for the `lang` of those parts of the page).
 */
function policyNotices({ ticket, messages }: TicketView) {
  const categories = REFUSALS.filter((c) => ticket.flags.includes(c));
  const refused = ticket.status === 'rejected' ? (categories[0] ?? null) : null;
  const language = requestLanguage(ticket.subject, messages);
  return {
    refusal: refused ? REFUSAL_TEXT[language][refused] : null,
    declined: refused ? [] : categories.map((c) => REFUSAL_TEXT[language][c]),
    privacyWarning: ticket.flags.includes('privacy_redacted') ? PRIVACY_WARNING[language] : null,
    noticeLanguage: language,
    reviewRequested: ticket.flags.includes('review_requested'),
  };
}

/** HTTP handlers for requests: the public form, the filer's status page and `POST /api/tickets`. */
export function ticketHandlers(tickets: TicketService, config: Config) {
  const showForm: RequestHandler = (_req, res) => {
    res.render('tickets/new', { title: 'Ask for help', values: formValues({}), errors: {}, errorList: [] });
  };

  /** "Change my request" from the confirmation step: the form again, with what was typed. */
  const editForm: RequestHandler = (req, res) => {
    res.render('tickets/new', { title: 'Ask for help', values: formValues(req.body), errors: {}, errorList: [] });
  };

  const submitForm: RequestHandler = async (req, res) => {
    const parsed = newTicketSchema.safeParse(req.body);
    if (!parsed.success) {
      const list = fieldErrors(parsed.error.issues, ticketMessages, req.body);
      res.status(400).render('tickets/new', {
        title: 'Ask for help (please correct the form)',
        values: formValues(req.body),
        errors: errorsByField(list),
        errorList: list,
      });
      return;
    }
    const body = req.body as Record<string, unknown>;
    // Without JavaScript the filer has not seen the answers suggested while typing: show them once
    // before the request is created. The script sets suggestionsSeen when it has shown some.
    if (body.confirmed !== 'yes' && body.suggestionsSeen !== 'yes') {
      const suggestions = tickets.suggestionsForDraft(parsed.data.subject, parsed.data.body);
      if (suggestions.length > 0) {
        res.render('tickets/confirm', { title: 'Before you send your request', values: formValues(req.body), suggestions });
        return;
      }
    }
    const created = await tickets.create(parsed.data, 'web');
    res.redirect(303, `/requests/${created.statusToken}/received`);
  };

  const received: RequestHandler = async (req, res) => {
    const view = await tickets.viewByToken(tokenOf(req));
    res.set('Cache-Control', 'no-store');
    res.render('tickets/received', {
      title: `Request ${view.ticket.reference} received`,
      ...view,
      ...policyNotices(view),
      suggestions: tickets.suggestionsFor(view),
      statusUrl: `${baseUrl(config, req)}/requests/${tokenOf(req)}`,
      statusPath: `/requests/${tokenOf(req)}`,
    });
  };

  const renderStatus = async (req: Request, status: number, extra: Record<string, unknown>) => {
    const view = await tickets.viewByToken(tokenOf(req));
    return {
      status,
      locals: {
        title: `Request ${view.ticket.reference}`,
        ...view,
        ...policyNotices(view),
        statusPath: `/requests/${tokenOf(req)}`,
        notice: null,
        replyValue: '',
        replyError: null,
        ...extra,
      },
    };
  };

  const NOTICES = noticeTable({
    sent: 'Your reply was added. We will answer as soon as we can.',
    closed: 'Your request is closed. If the problem comes back, write a reply here and we will reopen it.',
    review: 'Thank you. A member of the helpdesk will look at your request again and answer you.',
  });

  const showStatus: RequestHandler = async (req, res) => {
    const notice = NOTICES(req.query.done);
    const { status, locals } = await renderStatus(req, 200, { notice });
    res.set('Cache-Control', 'no-store');
    res.status(status).render('tickets/status', locals);
  };

  const reply: RequestHandler = async (req, res) => {
    const parsed = replySchema.safeParse(req.body);
    if (!parsed.success) {
      const [error] = fieldErrors(parsed.error.issues, replyMessages, req.body);
      const value =
        typeof (req.body as Record<string, unknown>)?.body === 'string' ? String((req.body as Record<string, unknown>).body) : '';
      const { locals } = await renderStatus(req, 400, { replyValue: value, replyError: error });
      res.status(400).render('tickets/status', locals);
      return;
    }
    await tickets.replyAsRequester(tokenOf(req), parsed.data.body);
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

  const apiCreate: RequestHandler = async (req, res) => {
    const input = parseOrThrow(newTicketSchema, req.body, ticketMessages);
    const created = await tickets.create(input, 'api');
    const statusUrl = `${baseUrl(config, req)}/requests/${created.statusToken}`;
    if (created.refusal) {
      // Refused, but stored: the reference and the status link let the filer say it is a technical question.
      const text = REFUSAL_TEXT[created.language][created.refusal];
      res.status(422).json({
        outcome: 'rejected',
        reason: created.refusal,
        reference: created.ticket.reference,
        message: `${text.summary} ${text.explanation}`,
        statusUrl,
        ...(created.redacted.length > 0 ? { privacyWarning: PRIVACY_WARNING[created.language] } : {}),
      });
      return;
    }
    res.status(201).json({
      reference: created.ticket.reference,
      status: created.ticket.status,
      caseNumbers: created.caseNumbers,
      suggestions: created.suggestions,
      statusUrl,
      flags: created.ticket.flags,
      ...(created.declined.length > 0
        ? { declined: created.declined.map((c) => REFUSAL_TEXT[created.language][c].summary) }
        : {}),
      ...(created.redacted.length > 0 ? { privacyWarning: PRIVACY_WARNING[created.language] } : {}),
    });
  };

  return { showForm, editForm, submitForm, received, showStatus, reply, close, review, apiCreate };
}

import type { Request, RequestHandler, Response } from 'express';
import { staffActor, type AuditService } from '../audit/audit.service';
import type { CallbackBoard } from '../callbacks/callback-board';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import { FAQ_CATEGORIES } from '../faq/faq-content';
import type { FaqLibrary } from '../faq/faq-library';
import { answerAsReplyText } from '../faq/faq-reply-text';
import { errorsByField, fieldErrors, noticeTable } from '../http/validate';
import { mailFactsForTicket } from '../mail/staff-mail.repository';
import type { Language } from '../policy/detect-language';
import type { ScopeRules } from '../policy/scope-guard';
import { displayPhone, phoneLink } from '../phone/display-phone';
import { flagLabel } from '../tickets/flag-labels';
import { requestLanguage } from '../tickets/request-language';
import { resolutionClock } from '../tickets/resolution-clock';
import { isUnderReview } from '../tickets/scope-corrections';
import { STATUS_LABELS, statusLabel } from '../tickets/status-labels';
import { StaleTicket, type TicketWorkService } from '../tickets/ticket-work.service';
import { TICKET_STATUSES, type Ticket } from '../tickets/ticket.types';
import { listOriginals } from '../tickets/tickets.repository';
import { staffOf } from './auth.middleware';
import { roleAtLeast } from './roles';
import { actionMessages, actionSchemas } from './staff-work.schema';
import { firstResponseState, reviewLabel } from './ticket-badges';
import { channelWords, describeHistory } from './ticket-history';
import { insertAnswerMessages, insertAnswerSchema } from './ticket-page.schema';

type Action = keyof typeof actionSchemas;

const DONE = noticeTable<Action>({
  claim: 'You claimed this ticket.',
  assign: 'Assignment saved.',
  status: 'Status changed.',
  reply: 'Reply sent to the filer.',
  note: 'Note added. Only staff can see it.',
  merge: 'Ticket merged.',
  reinstate: 'Request reinstated: it is back in the queue as open.',
  decline: 'Declined: the request is now refused.',
  'dismiss-review': 'Review flag dismissed: the request stays in the queue as a CM/ECF question.',
});
// With no mail relay the reply is kept on the ticket and nothing is sent: say so, not "sent".
const REPLY_NOT_EMAILED =
  'Reply saved on the ticket. It was not emailed: email is not set up, so the filer sees it only through their private link.';
/** After a decline: which kind, and whether the refusal went by email. */
function declinedNotice(flags: string[], mailSending: boolean): string {
  const kind = flags.includes('judge_contact') ? 'judge contact' : 'legal advice';
  return mailSending
    ? `Declined as ${kind}: the request is now refused, and the filer was emailed the refusal.`
    : `Declined as ${kind}: the request is now refused. The refusal was not emailed: email is not set up, so the filer sees it only on their private page.`;
}

/** What staff read beside a refusal or flag: the rule's own words, or which words the model weighed. */
function describeReason(reason: { rule: string; category?: string; words?: string[] }, rules: Map<string, string>): string {
  // A rule's description is a sentence; the excerpt follows it after a colon.
  if (reason.rule !== 'model') {
    const described = rules.get(reason.rule);
    if (described) return described.replace(/\.$/, '');
    return reason.category === 'judge_contact' ? 'Asks us to pass a message to a judge' : 'Asks for legal advice';
  }
  const kind = reason.category === 'judge_contact' ? 'a message for a judge' : 'legal advice';
  const words = reason.words && reason.words.length > 0 ? ` (the words that weighed most: ${reason.words.join(', ')})` : '';
  return `Reads like a request for ${kind}, judged from examples rather than a written rule${words}`;
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish (español)' };
const CALLBACK_STATUS: Record<string, string> = {
  booked: 'Booked',
  completed: 'Completed',
  no_answer: 'No answer, to try again',
  unreachable: 'Unreachable',
  cancelled: 'Cancelled by the filer',
};
// How many FAQ answers matching the request the picker offers first.
const MATCHES_FIRST = 5;

const me = (res: Response) => staffOf(res) as NonNullable<ReturnType<typeof staffOf>>;
type TicketWorkView = Awaited<ReturnType<TicketWorkService['view']>>;

/** The ticket page and the staff actions on it (each its own route in the route table). */
export function ticketPageHandlers(deps: {
  db: Db;
  work: TicketWorkService;
  faq: FaqLibrary;
  profile: CourtProfile;
  scopeRules: ScopeRules;
  board: CallbackBoard;
  now: () => Date;
  /** Records each view of unmasked originals before it is shown (SPEC §12). */
  audit: Pick<AuditService, 'record'>;
  /** The helpdesk's address as filers reach it (PUBLIC_URL): links in replies point there. */
  publicUrl?: string;
}) {
  const { db, work, profile } = deps;
  const baseUrlOf = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  /** The unmasked originals, for administrators only (Fed. R. Civ. P. 5.2); audited before the page shows them. */
  async function originalsShown(req: Request, res: Response, ticket: { id: number; reference: string }) {
    if (!roleAtLeast(me(res).role, 'admin')) return [];
    const originals = await listOriginals(db, ticket.id);
    if (originals.length > 0)
      await deps.audit.record({
        actor: staffActor(me(res)),
        action: 'original.viewed',
        subject: { type: 'ticket', id: ticket.reference },
        details: { originals: originals.length },
        address: req.ip,
      });
    return originals;
  }

  /** The language the filer reads: recorded from intake on; an older ticket's is read from its text, as refusals read it. */
  function ticketLanguage(ticket: Ticket, messages: Parameters<typeof requestLanguage>[1]): Language {
    return (ticket as Ticket & { language?: Language | null }).language ?? requestLanguage(ticket.subject, messages);
  }

  /** An answer as the filer will read it: in their language, or in English when it has no translation yet. */
  function answerIn(language: Language, id: string) {
    return deps.faq.current(language).get(id) ?? deps.faq.current().get(id);
  }

  /** The FAQ picker: the answers that match this request first, then every other answer by category. */
  function answerGroups(ticket: Ticket, firstMessage: string, language: Language) {
    const faq = deps.faq.current(language);
    const matches = faq
      .search(`${ticket.subject} ${firstMessage}`.slice(0, 4000), { mode: 'any', limit: MATCHES_FIRST })
      .map((m) => faq.get(m.id))
      .filter((a) => a !== undefined);
    const matched = new Set(matches.map((a) => a.id));
    const rest = faq
      .byCategory(FAQ_CATEGORIES)
      .map((g) => ({ category: g.category, answers: g.answers.filter((a) => !matched.has(a.id)) }))
      .filter((g) => g.answers.length > 0);
    return [...(matches.length > 0 ? [{ category: 'Matching this request', answers: matches }] : []), ...rest];
  }

  /** The ticket page; `read` is the ticket as the handler already read it, so that it is read once. */
  async function renderTicket(
    req: Request,
    res: Response,
    status: number,
    extra: Record<string, unknown> = {},
    read?: TicketWorkView,
  ) {
    const view = read ?? (await work.view(String(req.params.reference), me(res)));
    const { ticket } = view;
    const now = deps.now();
    const firstMessage = view.messages.find((m) => m.direction === 'in' && m.author === 'requester')?.bodyText ?? '';
    const ruleDescription = new Map(deps.scopeRules.rules.map((r) => [r.id, r.description]));
    const [mail, callbacks, originals] = await Promise.all([
      mailFactsForTicket(db, ticket.id, ticket.requesterEmail),
      deps.board.ofRequester(ticket.requesterEmail),
      originalsShown(req, res, ticket),
    ]);
    const language = ticketLanguage(ticket, view.messages);
    const insert = typeof req.query.insert === 'string' ? answerIn(language, req.query.insert) : undefined;
    res.status(status).render('staff/ticket', {
      title: `${ticket.reference}: ${ticket.subject}`,
      ...view,
      mail,
      originals,
      policyReasons: ticket.policyReasons.map((r) => ({ ...r, description: describeReason(r, ruleDescription) })),
      due: firstResponseState(ticket.firstResponseDueAt, ticket.firstResponseAt, now),
      resolution: resolutionClock(profile, ticket, view.history, now),
      history: describeHistory(view.history, view.staffNames),
      receivedBy: channelWords(ticket.channel),
      statuses: TICKET_STATUSES,
      statusLabels: STATUS_LABELS,
      statusLabel,
      flagLabel,
      phone: ticket.requesterPhone ? { text: displayPhone(ticket.requesterPhone), href: phoneLink(ticket.requesterPhone) } : null,
      language: { code: language, name: LANGUAGE_NAMES[language] },
      otherRequests: view.otherRequests,
      callbacks: callbacks.map((c) => ({
        start: c.slot_start,
        status: CALLBACK_STATUS[c.status as string] ?? statusLabel(c.status as string),
        phone: displayPhone(c.phone as string),
        topic: (c.topic as string | null) ?? null,
        ticketReference: c.ticketReference,
      })),
      answerGroups: answerGroups(ticket, firstMessage, language),
      replyDraft: insert ? answerAsReplyText(insert, baseUrlOf(req), language) : '',
      noteDraft: '',
      chosenAnswer: null,
      notice:
        req.query.done === 'reply' && !req.app.locals.mailSending
          ? REPLY_NOT_EMAILED
          : req.query.done === 'decline' && ticket.status === 'rejected'
            ? declinedNotice(ticket.flags, Boolean(req.app.locals.mailSending))
            : DONE(req.query.done),
      review: isUnderReview(ticket) ? reviewLabel(ticket.policyReasons) : null,
      problem: null,
      errors: {},
      ...extra,
    });
  }

  const ticketPage: RequestHandler = (req, res) => renderTicket(req, res, 200);

  /**
   * Inserts an FAQ answer into the reply being written. The script in public/js/ticket-reply.js asks
   * for JSON and puts the answer at the cursor; without it the form posts here and the page comes back
   * with the draft as typed and the answer after it. Nothing is saved on the ticket.
   */
  const insertAnswer: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const draft = typeof body.body === 'string' ? body.body : '';
    const parsed = insertAnswerSchema.safeParse(body);
    const view = await work.view(String(req.params.reference), me(res));
    const language = ticketLanguage(view.ticket, view.messages);
    const answer = parsed.success ? answerIn(language, parsed.data.answer) : undefined;
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    if (!answer) {
      const list = parsed.success
        ? [{ field: 'answer', code: 'unknown_answer', message: insertAnswerMessages.answer.unknown_answer as string }]
        : fieldErrors(parsed.error.issues, insertAnswerMessages, body);
      if (wantsJson) return res.status(400).json({ errors: list });
      return renderTicket(
        req,
        res,
        400,
        { replyDraft: draft, problem: list.map((e) => e.message).join(' '), errors: errorsByField(list) },
        view,
      );
    }
    const text = answerAsReplyText(answer, baseUrlOf(req), language);
    if (wantsJson) return res.json({ id: answer.id, title: answer.title, text });
    const joined = draft.trim() === '' ? text : `${draft.replace(/\s+$/, '')}\n\n${text}`;
    return renderTicket(
      req,
      res,
      200,
      {
        replyDraft: joined,
        chosenAnswer: answer.id,
        notice: `Inserted the answer “${answer.title}” after your text. Read it over before you send the reply.`,
      },
      view,
    );
  };

  /** One ticket action (its own route in the route table, with the role it needs). */
  const act =
    (action: Action): RequestHandler =>
    async (req, res) => {
      const reference = String(req.params.reference);
      const body = req.body as Record<string, unknown>;
      const drafts = {
        replyDraft: action === 'reply' && typeof body.body === 'string' ? body.body : '',
        noteDraft: action === 'note' && typeof body.body === 'string' ? body.body : '',
      };
      const parsed = actionSchemas[action].safeParse(body);
      if (!parsed.success) {
        const list = fieldErrors(parsed.error.issues, actionMessages, body);
        return renderTicket(req, res, 400, {
          ...drafts,
          problem: list.map((e) => e.message).join(' '),
          errors: errorsByField(list),
        });
      }
      const data = parsed.data as Record<string, unknown>;
      const staff = me(res);
      try {
        let goTo = reference;
        if (action === 'claim') await work.claim(reference, staff, data.version as number);
        if (action === 'assign') await work.assign(reference, staff, data.version as number, data.assigneeId as number | null);
        if (action === 'status')
          await work.setStatus(reference, staff, data.version as number, data.status as (typeof TICKET_STATUSES)[number]);
        if (action === 'reply') await work.reply(reference, staff, data.version as number, data.body as string);
        if (action === 'note') await work.note(reference, staff, data.body as string);
        if (action === 'reinstate') await work.reinstate(reference, staff, data.version as number, req.ip);
        if (action === 'decline')
          await work.decline(reference, staff, data.version as number, data.category as 'legal_advice' | 'judge_contact', req.ip);
        if (action === 'dismiss-review') await work.dismissReview(reference, staff, data.version as number);
        if (action === 'merge')
          goTo = (await work.merge(reference, staff, data.version as number, data.into as string, req.ip)).reference;
        res.redirect(303, `/staff/tickets/${goTo}?done=${action}`);
      } catch (error) {
        if (error instanceof StaleTicket) return renderTicket(req, res, 409, { ...drafts, problem: error.message });
        if (error instanceof AppError && error.status === 400) {
          return renderTicket(req, res, 400, {
            ...drafts,
            problem: error
              .toErrors()
              .map((e) => e.message)
              .join(' '),
          });
        }
        throw error;
      }
    };

  return { ticketPage, insertAnswer, act };
}

import type { Request, RequestHandler, Response } from 'express';
import { formatAge, formatInstant } from '../calendar/describe-hours';
import type { CallbackBoard, Outcome } from '../callbacks/callback-board';
import type { CourtProfile } from '../config/court-profile';
import type { ScopeRules } from '../policy/scope-guard';
import { displayPhone } from '../callbacks/callback-mail';
import { mailFactsForTicket } from '../mail/staff-mail.repository';
import { listOriginals } from '../tickets/tickets.repository';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import type { FaqLibrary } from '../faq/faq-library';
import { FAQ_CATEGORIES } from '../faq/faq-content';
import { errorsByField, fieldErrors, noticeTable, parseId, parseOrThrow } from '../http/validate';
import { isUnderReview } from '../tickets/scope-corrections';
import { StaleTicket, type TicketWorkService } from '../tickets/ticket-work.service';
import { TICKET_STATUSES } from '../tickets/ticket.types';
import { staffActor, type AuditService } from '../audit/audit.service';
import { staffOf } from './auth.middleware';
import { groupsOutageReports, listQueue, statusCounts } from './queue.repository';
import { actionMessages, actionSchemas, boardQueryMessages, boardQuerySchema, queueQuerySchema } from './staff-work.schema';
import { roleAtLeast } from './roles';

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

/** What a staff member reads in the queue and on the ticket for a request the scope guard was unsure of. */
function reviewLabel(reasons: Array<{ rule: string; category?: string }>): string {
  const categories = new Set(reasons.map((r) => r.category));
  if (categories.has('judge_contact') && !categories.has('legal_advice')) return 'Needs review: may ask us to contact a judge';
  if (categories.has('legal_advice') && !categories.has('judge_contact')) return 'Needs review: may ask for legal advice';
  return 'Needs review: may ask for legal advice or to contact a judge';
}

/** What staff read beside a refusal or flag: the rule's own words, or which words the model weighed. */
function describeReason(reason: { rule: string; category?: string; words?: string[] }, rules: Map<string, string>): string {
  // A rule's description is a sentence; the excerpt follows it after a colon.
  if (reason.rule !== 'model') return (rules.get(reason.rule) ?? reason.rule).replace(/\.$/, '');
  const kind = reason.category === 'judge_contact' ? 'a message for a judge' : 'legal advice';
  const words = reason.words && reason.words.length > 0 ? ` (the words that weighed most: ${reason.words.join(', ')})` : '';
  return `Reads like a request for ${kind}, judged from examples rather than a written rule${words}`;
}

const me = (res: Response) => staffOf(res) as NonNullable<ReturnType<typeof staffOf>>;

/** The staff workspace: queue, ticket page and actions, callbacks, FAQ feedback. */
export function staffHandlers(deps: {
  db: Db;
  work: TicketWorkService;
  faq: FaqLibrary;
  profile: CourtProfile;
  scopeRules: ScopeRules;
  board: CallbackBoard;
  now: () => Date;
  /** Records each view of unmasked originals before it is shown (SPEC §12). */
  audit: Pick<AuditService, 'record'>;
  /** The queue's rows for outage reports, one per outage (`fresh`: counted again at once). */
  outageReportGroups?: (fresh: boolean) => Promise<unknown[]>;
}) {
  const { db, work } = deps;

  /** How late a ticket's first response is: overdue, due within the hour, or fine. */
  const dueState = (dueAt: string | null, respondedAt: string | null) => {
    if (!dueAt || respondedAt) return 'none';
    const left = Date.parse(dueAt) - deps.now().getTime();
    return left < 0 ? 'overdue' : left < 3_600_000 ? 'soon' : 'ok';
  };
  const age = (iso: string) => formatAge(iso, deps.now());

  const queue: RequestHandler = async (req, res) => {
    const filters = queueQuerySchema.parse(req.query);
    // Counts are fresh after this staff member's own change (?done=…), else at most ten seconds old.
    const [page, counts, outageGroups] = await Promise.all([
      listQueue(db, filters, me(res).id),
      statusCounts(db, Date.now(), 'done' in req.query),
      groupsOutageReports(filters) && deps.outageReportGroups ? deps.outageReportGroups('done' in req.query) : [],
    ]);
    const query = (extra: Record<string, string | undefined>) => {
      const params = new URLSearchParams();
      const merged: Record<string, string | undefined> = {
        status: filters.status,
        owner: filters.owner,
        q: filters.q || undefined,
        sort: filters.sort,
        hasCaseNumber: filters.hasCaseNumber ? '1' : undefined,
        flagged: filters.flagged ? '1' : undefined,
        ...extra,
      };
      for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
      return `/staff?${params.toString()}`;
    };
    res.render('staff/queue', {
      title: filters.status === 'rejected' ? 'Rejected requests' : 'Queue',
      filters,
      rows: page.rows.map((r) => ({
        ...r,
        due: dueState(r.firstResponseDueAt, r.firstResponseAt),
        age: age(r.createdAt),
        review: r.needsReview ? reviewLabel(r.policyReasons) : null,
      })),
      nextUrl: page.next ? query({ after: page.next }) : null,
      counts,
      statuses: TICKET_STATUSES,
      query,
      outageGroups,
    });
  };

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

  /** The callback board; administrators see the unmasked topics, audited before the page shows them. */
  async function boardShown(req: Request, res: Response) {
    const board = await deps.board.list({ originals: roleAtLeast(me(res).role, 'admin') });
    const shown = [...board.needsOutcome, ...board.today, ...board.upcoming].filter((c) => c.originalTopic);
    if (shown.length > 0)
      await deps.audit.record({
        actor: staffActor(me(res)),
        action: 'callback_original.viewed',
        details: { callbacks: shown.map((c) => c.id as number) },
        address: req.ip,
      });
    return board;
  }

  async function renderTicket(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const reference = String(req.params.reference);
    const view = await work.view(reference, me(res));
    const insert = typeof req.query.insert === 'string' ? deps.faq.current().get(req.query.insert) : undefined;
    const faq = deps.faq.current();
    const ruleDescription = new Map(deps.scopeRules.rules.map((r) => [r.id, r.description]));
    const mail = await mailFactsForTicket(db, view.ticket.id, view.ticket.requesterEmail);
    res.status(status).render('staff/ticket', {
      title: `${view.ticket.reference}: ${view.ticket.subject}`,
      ...view,
      mail,
      policyReasons: view.ticket.policyReasons.map((r) => ({ ...r, description: describeReason(r, ruleDescription) })),
      originals: await originalsShown(req, res, view.ticket),
      due: dueState(view.ticket.firstResponseDueAt, view.ticket.firstResponseAt),
      statuses: TICKET_STATUSES,
      faqGroups: faq.byCategory(FAQ_CATEGORIES),
      replyDraft: insert ? `${insert.text}\n\nMore: /faq/${insert.id}` : '',
      noteDraft: '',
      notice:
        req.query.done === 'reply' && !req.app.locals.mailSending
          ? REPLY_NOT_EMAILED
          : req.query.done === 'decline' && view.ticket.status === 'rejected'
            ? declinedNotice(view.ticket.flags, Boolean(req.app.locals.mailSending))
            : DONE(req.query.done),
      review: isUnderReview(view.ticket) ? reviewLabel(view.ticket.policyReasons) : null,
      problem: null,
      errors: {},
      ...extra,
    });
  }

  const ticketPage: RequestHandler = (req, res) => renderTicket(req, res, 200);

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

  const callbackBoard: RequestHandler = async (req, res) => {
    const { moved, done } = parseOrThrow(boardQuerySchema, req.query, boardQueryMessages);
    const board = await boardShown(req, res);
    const notice = moved
      ? `No answer: the call moves to ${formatInstant(moved, deps.profile.timezone)}.`
      : done
        ? 'Outcome saved.'
        : null;
    res.render('staff/callbacks', { title: 'Callbacks', ...board, notice, problem: null, displayPhone });
  };

  const callbackOutcome: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const body = req.body as Record<string, unknown>;
    const outcome = String(body.outcome ?? '');
    if (!['completed', 'no_answer', 'unreachable'].includes(outcome))
      throw new AppError(400, 'invalid_outcome', 'Choose an outcome.');
    const notes = typeof body.notes === 'string' ? body.notes.trim().slice(0, 1000) : '';
    try {
      const result = await deps.board.record(id, me(res).id, outcome as Outcome, notes);
      res.redirect(
        303,
        result.movedTo ? `/staff/callbacks?moved=${encodeURIComponent(result.movedTo)}` : '/staff/callbacks?done=1',
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
      res.status(error.status).render('staff/callbacks', {
        title: 'Callbacks',
        ...(await boardShown(req, res)),
        displayPhone,
        notice: null,
        problem: error.toErrors()[0].message,
      });
    }
  };

  return {
    queue,
    ticketPage,
    act,
    callbackBoard,
    callbackOutcome,
  };
}

import type { Request, RequestHandler, Response } from 'express';
import { formatInstant } from '../calendar/describe-hours';
import type { CallbackBoard, Outcome } from '../callbacks/callback-board';
import type { CourtProfile } from '../config/court-profile';
import type { ScopeRules } from '../policy/scope-guard';
import { displayPhone } from '../callbacks/callback-mail';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import type { FaqLibrary } from '../faq/faq-library';
import { parseId, parseOrThrow } from '../http/validate';
import type { TicketWorkService } from '../tickets/ticket-work.service';
import { staffActor, type AuditService } from '../audit/audit.service';
import { staffOf } from './auth.middleware';
import { boardQueryMessages, boardQuerySchema } from './staff-work.schema';
import { roleAtLeast } from './roles';
import { ticketPageHandlers } from './ticket-page.routes';

const me = (res: Response) => staffOf(res) as NonNullable<ReturnType<typeof staffOf>>;

/** The staff workspace: ticket page and actions (ticket-page.routes.ts), callbacks; the queue is queue.routes.ts. */
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
  /** The helpdesk's address as filers reach it (PUBLIC_URL): links in replies point there. */
  publicUrl?: string;
}) {
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
    ...ticketPageHandlers(deps),
    callbackBoard,
    callbackOutcome,
  };
}

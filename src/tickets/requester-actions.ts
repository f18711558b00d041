import { AppError } from '../errors';
import { recordResolutionHours } from './resolution-clock';
import { addRequesterMessage, markForReview, ticketForToken } from './requester-records';
import type { TicketServiceContext } from './ticket-service-deps';
import type { CaseNumber, Ticket, TicketMessage } from './ticket.types';
import * as repo from './tickets.repository';

export interface TicketView {
  ticket: Ticket;
  messages: TicketMessage[];
  caseNumbers: CaseNumber[];
}

/** What the filer does with their own request through its private status link: read it, dispute a refusal, close it. */
export function createRequesterActions(ctx: TicketServiceContext) {
  const { db, now } = ctx;

  return {
    /** The filer's view of a request, by its private token. */
    async viewByToken(token: string): Promise<TicketView> {
      const ticket = await ticketForToken(db, token);
      const [messages, caseNumbers] = await Promise.all([repo.listMessages(db, ticket.id), repo.listCaseNumbers(db, ticket.id)]);
      return { ticket, messages, caseNumbers };
    },

    /**
     * "This is a technical question": the filer disputes a refusal. The request goes back in front of
     * staff as new, flagged review_requested, with the filer's explanation as a message.
     */
    async requestReview(token: string, explanation: string): Promise<Ticket> {
      const ticket = await ticketForToken(db, token);
      if (ticket.status !== 'rejected')
        throw new AppError(409, 'not_rejected', 'This request was not refused, so there is nothing to review.');
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        await addRequesterMessage(trx, ticket.id, explanation || 'The filer says this is a technical question about CM/ECF.', at);
        await markForReview(trx, ticket.id, at);
      });
      return { ...ticket, status: 'new', updatedAt: at };
    },

    /** "My problem is solved": the filer closes the request. Closing twice is harmless. */
    async closeByRequester(token: string): Promise<Ticket> {
      const ticket = await ticketForToken(db, token);
      if (ticket.status === 'closed') return ticket;
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        if (await repo.updateStatus(trx, ticket.id, ticket.status, 'closed', at)) {
          await repo.appendEvent(trx, ticket.id, {
            actor: 'requester',
            action: 'status_changed',
            before: { status: ticket.status },
            after: { status: 'closed' },
            createdAt: at,
          });
          await recordResolutionHours(trx, ctx.profile, ticket.id);
        }
      });
      return { ...ticket, status: 'closed', closedAt: at, updatedAt: at };
    },
  };
}

import type { AcceptedFile } from '../attachments/uploaded-file';
import type { Db } from '../db/knex';
import { maskPrivateData } from '../privacy/mask';
import { addRequesterMessage, markForReview, ticketForToken } from './requester-records';
import { insertWebAttachments } from './ticket-attachments.repository';
import type { TicketServiceContext } from './ticket-service-deps';
import type { EmailOrigin, Ticket, TicketStatus } from './ticket.types';
import * as repo from './tickets.repository';

// A filer's reply brings a finished or paused ticket back into the queue.
const REOPENED_BY_REPLY: Partial<Record<TicketStatus, TicketStatus>> = {
  resolved: 'open',
  closed: 'open',
  waiting: 'open',
};

/** Adds the filer's message and brings a finished or paused ticket back into the queue. */
async function addReply(
  trx: Db,
  ticket: Ticket,
  body: string,
  at: string,
  origin?: EmailOrigin,
  files: AcceptedFile[] = [],
): Promise<TicketStatus> {
  const reopenAs = REOPENED_BY_REPLY[ticket.status];
  const messageId = await addRequesterMessage(trx, ticket.id, body, at, origin);
  await insertWebAttachments(trx, ticket.id, messageId, files, at);
  await repo.appendEvent(trx, ticket.id, { actor: 'requester', action: 'replied', createdAt: at });
  if (reopenAs && (await repo.updateStatus(trx, ticket.id, ticket.status, reopenAs, at))) {
    await repo.appendEvent(trx, ticket.id, {
      actor: 'requester',
      action: 'status_changed',
      before: { status: ticket.status },
      after: { status: reopenAs },
      createdAt: at,
    });
    // Reopened: no longer resolved, so it has no time to resolve until it is finished again.
    await repo.setResolutionHours(trx, ticket.id, null);
    return reopenAs;
  }
  await repo.touchTicket(trx, ticket.id, at);
  return ticket.status;
}

/** A filer's reply to an existing request, arriving by email or on the status page. */
export function createRequesterReplies(ctx: TicketServiceContext) {
  const { db, now } = ctx;

  return {
    /**
     * Adds an emailed reply inside the caller's transaction; returns the ticket's status after it. A
     * reply to a refusal is the filer answering it, so the request goes back to staff for review.
     */
    async replyWithin(trx: Db, ticket: Ticket, body: string, origin: EmailOrigin): Promise<TicketStatus> {
      const at = now().toISOString();
      await ctx.onFilerReply?.(trx, ticket, { text: maskPrivateData(body).text, at, by: 'email' });
      if (ticket.status !== 'rejected') return addReply(trx, ticket, body, at, origin);
      await addRequesterMessage(trx, ticket.id, body, at, origin);
      await markForReview(trx, ticket.id, at);
      return 'new';
    },

    /**
     * Adds the filer's reply (private numbers masked) with the files sent with it; a resolved, closed
     * or waiting request goes back to open.
     */
    async replyAsRequester(token: string, body: string, files: AcceptedFile[] = []): Promise<Ticket> {
      const ticket = await ticketForToken(db, token);
      const at = now().toISOString();
      const status = await db.transaction(async (trx) => {
        // The assignee hears of it in the same commit (absent when mail is off).
        await ctx.onFilerReply?.(trx, ticket, { text: maskPrivateData(body).text, at, by: 'web' });
        return addReply(trx, ticket, body, at, undefined, files);
      });
      return { ...ticket, status, updatedAt: at };
    },
  };
}

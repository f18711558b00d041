import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { maskPrivateData } from '../privacy/mask';
import { hashStatusToken, looksLikeStatusToken } from './status-token';
import type { EmailOrigin, Ticket } from './ticket.types';
import * as repo from './tickets.repository';

// What the filer's side of a ticket shares across intake, replies and the status link.

/** The stored message's fields that say where an emailed message came from (none for web and API). */
export function messageOrigin(origin: EmailOrigin | undefined) {
  if (!origin) return { messageId: null };
  return {
    messageId: origin.messageId,
    inboundMailId: origin.inboundMailId,
    fromAddress: origin.fromAddress,
    subject: origin.subject,
  };
}

/** Stores a message from the filer with private numbers masked; the original is kept for administrators. */
export async function addRequesterMessage(
  trx: Db,
  ticketId: number,
  text: string,
  at: string,
  origin?: EmailOrigin,
): Promise<number> {
  const masked = maskPrivateData(text);
  const redacted = masked.redactions.length > 0;
  const id = await repo.insertMessage(
    trx,
    ticketId,
    {
      direction: 'in',
      author: 'requester',
      bodyText: masked.text,
      createdAt: at,
      ...messageOrigin(origin),
      // Masked text is what staff read; the HTML part would show the original numbers, so it goes.
      htmlReceived: redacted ? null : (origin?.htmlReceived ?? null),
    },
    redacted ? text : undefined,
  );
  if (redacted) await repo.addFlags(trx, ticketId, ['privacy_redacted']);
  return id;
}

/** A refused request the filer disputes goes back in front of staff as new, flagged review_requested. */
export async function markForReview(trx: Db, ticketId: number, at: string): Promise<void> {
  await repo.addFlags(trx, ticketId, ['review_requested']);
  if (await repo.updateStatus(trx, ticketId, 'rejected', 'new', at)) {
    await repo.appendEvent(trx, ticketId, {
      actor: 'requester',
      action: 'review_requested',
      before: { status: 'rejected' },
      after: { status: 'new' },
      createdAt: at,
    });
  }
}

/** The ticket a private status link opens; NotFound for a link that matches none. */
export async function ticketForToken(db: Db, token: string): Promise<Ticket> {
  const ticket = looksLikeStatusToken(token) ? await repo.findTicketByTokenHash(db, hashStatusToken(token)) : undefined;
  if (!ticket) throw new NotFound('We could not find a request for this link. Check that you copied the whole link.');
  // A request merged into another continues there: its link shows and answers the combined ticket.
  if (ticket.mergedIntoId) return (await repo.findTicketById(db, ticket.mergedIntoId)) ?? ticket;
  return ticket;
}

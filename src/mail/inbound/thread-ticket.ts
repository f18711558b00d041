import type { Db } from '../../db/knex';
import type { Ticket } from '../../tickets/ticket.types';
import * as tickets from '../../tickets/tickets.repository';
import { ticketIdForMessageIds } from './inbound-mail.repository';
import type { MessageReading } from './read-message';

/** The ticket a message continues: by the Message-IDs it answers, else by `[HD-…]` from the requester. */
export async function threadTicket(q: Db, reading: MessageReading): Promise<Ticket | null> {
  let ticket: Ticket | undefined;
  const byMessageId = await ticketIdForMessageIds(q, reading.keys.messageIds);
  if (byMessageId !== null) ticket = await tickets.findTicketById(q, byMessageId);
  else if (reading.keys.reference) {
    const candidate = await tickets.findTicketById(q, reading.keys.reference.id);
    // References are short and sequential, so the subject alone is not proof: the sender must be
    // the requester. Anyone else's "[HD-…]" message becomes a request of its own.
    if (candidate && candidate.reference === reading.keys.reference.text && candidate.requesterEmail === reading.from?.address)
      ticket = candidate;
  }
  if (ticket?.mergedIntoId) ticket = await tickets.findTicketById(q, ticket.mergedIntoId);
  return ticket ?? null;
}

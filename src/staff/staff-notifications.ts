import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { Outbox, QueueResult } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import type { FilerReply } from '../tickets/ticket-service-deps';
import type { Ticket } from '../tickets/ticket.types';
import { notificationRecipient } from './staff.repository';

// What a notification quotes of the filer's reply: enough to know what it is about.
const EXCERPT_CHARS = 1200;

/**
 * Email to staff about their own work, through the outbox like all mail: the assignee hears when the
 * filer replies (SPEC §13). Only masked text goes in it (what staff pages show); each person can turn
 * it off at /staff/account.
 */
export function createStaffNotifications(deps: { outbox: Outbox; profile: CourtProfile; baseUrl: string }) {
  const { outbox, profile, baseUrl } = deps;

  return {
    /**
     * Tells the ticket's assignee that the filer replied, queued in the transaction that stores the
     * reply; nothing when nobody has the ticket or the assignee turned these off.
     */
    async filerReplied(q: Db, ticket: Ticket, reply: FilerReply): Promise<QueueResult | null> {
      if (ticket.assigneeId === null) return null;
      const person = await notificationRecipient(q, ticket.assigneeId);
      if (!person?.filerReplies) return null;
      const subject = `${ticket.reference}: ${ticket.requesterName} replied`;
      const text = reply.text.trim();
      const body = renderEmail(
        'staff-filer-replied',
        {
          court: profile.court,
          helpdesk: profile.helpdesk,
          baseUrl,
          name: person.name,
          ticket,
          by: reply.by === 'email' ? 'by email' : 'on their request page',
          excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()} …` : text,
          cut: text.length > EXCERPT_CHARS,
          ticketUrl: `${baseUrl}/staff/tickets/${ticket.reference}`,
          accountUrl: `${baseUrl}/staff/account#notifications`,
        },
        { subject, signed: false },
      );
      // Not part of the ticket's thread (no ticket id): an answer to it from staff must not reach the filer.
      return outbox.queue(q, {
        kind: 'staff_notification',
        dedupeKey: `filer_reply:${ticket.id}:${reply.at}`,
        ticketId: null,
        to: person.email,
        subject,
        ...body,
        messageId: outbox.newMessageId(),
        automatic: true,
      });
    },
  };
}

export type StaffNotifications = ReturnType<typeof createStaffNotifications>;

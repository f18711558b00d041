import type { Db } from '../db/knex';
import { AppError } from '../errors';
import type { StaffUser } from '../staff/staff.repository';
import { addTag, removeTag, tagsOfTickets, updateTopic } from './ticket-labels.repository';
import { normaliseTag, TAG_RULE } from './ticket-tags';
import type { Ticket } from './ticket.types';
import { appendEvent, touchTicket } from './tickets.repository';

/**
 * A ticket's topic and tags, changed by staff on its page. Each change is in the ticket's history and
 * raises its version (a form or a bulk selection made before it is then out of date), but is not
 * refused for an older version: a label changes nothing a colleague wrote.
 */
export function createTicketLabels(db: Db, now: () => Date, isTopic: (id: string) => boolean) {
  const actor = (staff: StaffUser) => `staff:${staff.id}`;

  return {
    async tagsOf(ticket: Ticket): Promise<string[]> {
      return (await tagsOfTickets(db, [ticket.id])).get(ticket.id) ?? [];
    },

    /** Sets the topic (an FAQ category id), or none with null. */
    async setTopic(ticket: Ticket, staff: StaffUser, topic: string | null): Promise<void> {
      if (topic !== null && !isTopic(topic))
        throw new AppError(400, 'unknown_topic', 'There is no such topic: choose one of the topics in the list.');
      if (topic === ticket.topic) return;
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        await updateTopic(trx, ticket.id, topic, at);
        await appendEvent(trx, ticket.id, {
          actor: actor(staff),
          action: 'topic_changed',
          before: { topic: ticket.topic },
          after: { topic },
          createdAt: at,
        });
      });
    },

    /** Adds a tag as typed (stored lower-case and trimmed); nothing happens when the ticket has it. */
    async addTag(ticket: Ticket, staff: StaffUser, typed: string): Promise<void> {
      const tag = normaliseTag(typed);
      if (!tag) throw new AppError(400, typed.trim() ? 'invalid_tag' : 'required', `That tag was not added. ${TAG_RULE}`);
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        if ((await addTag(trx, [ticket.id], tag, at)).length === 0) return;
        await touchTicket(trx, ticket.id, at);
        await appendEvent(trx, ticket.id, { actor: actor(staff), action: 'tagged', after: { tag }, createdAt: at });
      });
    },

    async removeTag(ticket: Ticket, staff: StaffUser, tag: string): Promise<void> {
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        if (!(await removeTag(trx, ticket.id, tag))) return;
        await touchTicket(trx, ticket.id, at);
        await appendEvent(trx, ticket.id, { actor: actor(staff), action: 'untagged', before: { tag }, createdAt: at });
      });
    },
  };
}

export type TicketLabels = ReturnType<typeof createTicketLabels>;

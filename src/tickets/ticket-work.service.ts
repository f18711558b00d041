import { staffActor, type AuditService } from '../audit/audit.service';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { Conflict, Invalid, NotFound } from '../errors';
import type { Language } from '../policy/detect-language';
import type { RefusalCategory } from '../policy/scope-guard';
import { isActiveStaff, listActiveStaff, type StaffUser } from '../staff/staff.repository';
import { parseReference } from './reference';
import { recordResolutionHours } from './resolution-clock';
import { requestLanguage } from './request-language';
import { isUnderReview, keepCorrection, NEEDS_REVIEW, notUnderReview } from './scope-corrections';
import type { Ticket, TicketStatus } from './ticket.types';
import * as repo from './tickets.repository';

/** A staff change refused because someone else changed the ticket first; the page shows what changed. */
export class StaleTicket extends Conflict {
  constructor(readonly current: Ticket) {
    super(
      'stale_ticket',
      'Someone else changed this ticket after you opened it. Read the latest version below; your text is kept.',
    );
  }
}

const actorOf = (staff: StaffUser) => `staff:${staff.id}`;

// The ticket page lists the requester's latest other requests; a frequent writer's whole past is in the queue's search.
const OTHER_REQUESTS_SHOWN = 20;

/** Sends staff replies and refusals by email (absent when mail is off: the filer reads them on the status page). */
export interface StaffReplyMail {
  newMessageId(): string;
  staffReply(q: Db, ticket: Ticket, reply: { messageId: string; body: string; staffName: string }): Promise<unknown>;
  /** The refusal notice a refused request gets, for a request staff declined after review, in the request's language. */
  refusal(q: Db, ticket: Ticket, category: RefusalCategory, language: Language): Promise<unknown>;
}

/** What staff do with a ticket: claim, assign, change status, reply, note, merge, decide on a review flag. Every change is audited. */
export function createTicketWorkService(
  db: Db,
  profile: CourtProfile,
  now: () => Date = () => new Date(),
  mail?: StaffReplyMail,
  audit?: Pick<AuditService, 'record'>,
) {
  /** Records a staff decision in the audit log, in the transaction of the change (SPEC §12). */
  const audited = (
    trx: Db,
    staff: StaffUser,
    action: 'ticket.reinstated' | 'ticket.declined' | 'ticket.merged',
    ticket: Ticket,
    address: string | undefined,
    details?: Record<string, string>,
  ) =>
    audit?.record({ actor: staffActor(staff), action, subject: { type: 'ticket', id: ticket.reference }, details, address }, trx);

  async function ticketByReference(reference: string): Promise<Ticket> {
    const parsed = parseReference(reference);
    const ticket = parsed ? await repo.findTicketById(db, parsed.id) : undefined;
    if (!ticket || ticket.reference !== reference.toUpperCase()) throw new NotFound('There is no ticket with this reference.');
    return ticket;
  }

  /** Runs a versioned change: applies `changes` only if nobody changed the ticket since `version`. */
  async function change(
    ticket: Ticket,
    version: number,
    staff: StaffUser,
    action: string,
    changes: Record<string, unknown>,
    before: unknown,
    after: unknown,
    extra?: (trx: Db, at: string) => Promise<void>,
  ): Promise<void> {
    const at = now().toISOString();
    const applied = await db.transaction(async (trx) => {
      if (!(await repo.updateIfVersion(trx, ticket.id, version, { ...changes, updated_at: at }))) return false;
      await extra?.(trx, at);
      await repo.appendEvent(trx, ticket.id, { actor: actorOf(staff), action, before, after, createdAt: at });
      if ('status' in changes) await recordResolutionHours(trx, profile, ticket.id);
      return true;
    });
    if (!applied) throw new StaleTicket(await ticketByReference(ticket.reference));
  }

  return {
    ticketByReference,

    /** Everything a staff member sees on the ticket page. */
    async view(reference: string, staff: StaffUser) {
      const ticket = await ticketByReference(reference);
      const at = now().toISOString();
      await repo.recordViewer(db, ticket.id, staff.id, at);
      const recent = new Date(now().getTime() - 5 * 60_000).toISOString();
      const [messages, caseNumbers, history, viewers, staffList, otherRequests] = await Promise.all([
        repo.listMessages(db, ticket.id, true),
        repo.listCaseNumbers(db, ticket.id),
        repo.listEvents(db, ticket.id),
        repo.otherViewersSince(db, ticket.id, staff.id, recent),
        listActiveStaff(db),
        repo.listRequesterTickets(db, ticket.requesterEmail, ticket.id, OTHER_REQUESTS_SHOWN),
      ]);
      const names = new Map(staffList.map((s) => [s.id, s.name]));
      return { ticket, messages, caseNumbers, history, otherViewers: viewers, staffList, staffNames: names, otherRequests };
    },

    async claim(reference: string, staff: StaffUser, version: number): Promise<void> {
      const ticket = await ticketByReference(reference);
      const status: TicketStatus = ticket.status === 'new' ? 'open' : ticket.status;
      await change(
        ticket,
        version,
        staff,
        'claimed',
        { assignee_id: staff.id, status },
        { assigneeId: ticket.assigneeId, status: ticket.status },
        { assigneeId: staff.id, status },
      );
    },

    async assign(reference: string, staff: StaffUser, version: number, assigneeId: number | null): Promise<void> {
      const ticket = await ticketByReference(reference);
      if (assigneeId !== null) {
        if (!(await isActiveStaff(db, assigneeId)))
          throw new Invalid([{ field: 'assigneeId', code: 'unknown_staff', message: 'Choose an active staff member.' }]);
      }
      await change(
        ticket,
        version,
        staff,
        'assigned',
        { assignee_id: assigneeId },
        { assigneeId: ticket.assigneeId },
        { assigneeId },
      );
    },

    /** Undoes a policy refusal: the request goes into the queue as open; the history keeps who and when. */
    async reinstate(reference: string, staff: StaffUser, version: number, address?: string): Promise<void> {
      const ticket = await ticketByReference(reference);
      if (ticket.status !== 'rejected')
        throw new Invalid([{ code: 'not_rejected', message: 'Only a refused request can be reinstated.' }]);
      await change(
        ticket,
        version,
        staff,
        'reinstated',
        { status: 'open' },
        { status: 'rejected', flags: ticket.flags },
        { status: 'open' },
        async (trx, at) => {
          await keepCorrection(trx, ticket, staff.id, 'accept', at);
          await audited(trx, staff, 'ticket.reinstated', ticket, address);
        },
      );
    },

    /**
     * Staff decide a request the scope guard was unsure of is out of scope: it is refused as intake
     * refuses one (rejected, with the reason among its flags), and the filer is sent the same refusal.
     */
    async decline(
      reference: string,
      staff: StaffUser,
      version: number,
      category: RefusalCategory,
      address?: string,
    ): Promise<void> {
      const ticket = await ticketByReference(reference);
      if (!isUnderReview(ticket)) throw notUnderReview();
      const flags = [...new Set([...ticket.flags.filter((f) => f !== NEEDS_REVIEW), category])];
      await change(
        ticket,
        version,
        staff,
        'review_declined',
        { status: 'rejected', flags: JSON.stringify(flags) },
        { status: ticket.status, flags: ticket.flags },
        { status: 'rejected', reason: category },
        async (trx, at) => {
          await keepCorrection(trx, ticket, staff.id, category, at);
          await audited(trx, staff, 'ticket.declined', ticket, address, { reason: category });
          if (mail) {
            const language = requestLanguage(ticket.subject, await repo.listMessages(trx, ticket.id), ticket.language);
            await mail.refusal(trx, { ...ticket, status: 'rejected', flags }, category, language);
          }
        },
      );
    },

    /** Staff decide a request the scope guard was unsure of is in scope: the flag goes, the request stays. */
    async dismissReview(reference: string, staff: StaffUser, version: number): Promise<void> {
      const ticket = await ticketByReference(reference);
      if (!isUnderReview(ticket)) throw notUnderReview();
      const flags = ticket.flags.filter((f) => f !== NEEDS_REVIEW);
      await change(
        ticket,
        version,
        staff,
        'review_dismissed',
        { flags: JSON.stringify(flags) },
        { flags: ticket.flags },
        { flags },
        (trx, at) => keepCorrection(trx, ticket, staff.id, 'accept', at),
      );
    },

    async setStatus(reference: string, staff: StaffUser, version: number, status: TicketStatus): Promise<void> {
      const ticket = await ticketByReference(reference);
      if (status === ticket.status) return;
      const at = now().toISOString();
      await change(
        ticket,
        version,
        staff,
        'status_changed',
        { status, closed_at: status === 'closed' ? at : null },
        { status: ticket.status },
        { status },
      );
    },

    /**
     * A reply the filer sees (and, with email, receives). The ticket then waits for the filer.
     * `alongside` writes the caller's own record of it in the same commit (throwing undoes the reply).
     */
    async reply(
      reference: string,
      staff: StaffUser,
      version: number,
      body: string,
      alongside?: (trx: Db, at: string) => Promise<void>,
    ): Promise<void> {
      const ticket = await ticketByReference(reference);
      const at = now().toISOString();
      const status: TicketStatus = ['new', 'open'].includes(ticket.status) ? 'waiting' : ticket.status;
      await change(
        ticket,
        version,
        staff,
        'replied',
        { status, first_response_at: ticket.firstResponseAt ?? at, assignee_id: ticket.assigneeId ?? staff.id },
        { status: ticket.status },
        { status },
        async (trx) => {
          // The reply is queued for email in the same commit as the message, under the same Message-ID,
          // so the filer's answer to it threads back here.
          const messageId = mail?.newMessageId() ?? null;
          await repo.insertMessage(trx, ticket.id, {
            direction: 'out',
            author: 'staff',
            authorStaffId: staff.id,
            messageId,
            bodyText: body,
            createdAt: at,
          });
          if (mail && messageId) {
            // Staff reply in the ticket's language (SPEC §14); a ticket from before it was recorded is read for it.
            const language = ticket.language ?? requestLanguage(ticket.subject, await repo.listMessages(trx, ticket.id));
            await mail.staffReply(trx, { ...ticket, language }, { messageId, body, staffName: staff.name });
          }
          await alongside?.(trx, at);
        },
      );
    },

    /** An internal note: never shown or sent to the filer. Notes change nothing else, so no version check. */
    async note(reference: string, staff: StaffUser, body: string): Promise<void> {
      const ticket = await ticketByReference(reference);
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        await repo.insertMessage(trx, ticket.id, {
          direction: 'in',
          author: 'staff',
          authorStaffId: staff.id,
          internal: true,
          messageId: null,
          bodyText: body,
          createdAt: at,
        });
        await repo.appendEvent(trx, ticket.id, { actor: actorOf(staff), action: 'noted', createdAt: at });
      });
    },

    /** Merges a duplicate into another ticket: its messages and case numbers move, its link leads to the target. */
    async merge(reference: string, staff: StaffUser, version: number, intoReference: string, address?: string): Promise<Ticket> {
      const source = await ticketByReference(reference);
      let target: Ticket;
      try {
        target = await ticketByReference(intoReference);
      } catch {
        throw new Invalid([{ field: 'into', code: 'unknown_ticket', message: 'There is no ticket with that reference.' }]);
      }
      if (target.id === source.id || target.mergedIntoId) {
        throw new Invalid([
          { field: 'into', code: 'invalid_merge', message: 'Choose another ticket that has not itself been merged.' },
        ]);
      }
      const at = now().toISOString();
      await change(
        source,
        version,
        staff,
        'merged',
        { merged_into_id: target.id, status: 'closed', closed_at: at },
        { status: source.status },
        { mergedInto: target.reference },
        async (trx) => {
          await repo.moveMessagesAndCaseNumbers(trx, source.id, target.id);
          await audited(trx, staff, 'ticket.merged', source, address, { into: target.reference });
          await repo.touchTicket(trx, target.id, at);
          await repo.appendEvent(trx, target.id, {
            actor: actorOf(staff),
            action: 'merged_in',
            after: { from: source.reference },
            createdAt: at,
          });
        },
      );
      return target;
    },
  };
}

export type TicketWorkService = ReturnType<typeof createTicketWorkService>;

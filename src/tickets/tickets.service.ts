import { addBusinessHours, localParts } from '../calendar/business-time';
import type { CaseNumber } from '../case-numbers/find-case-numbers';
import type { Knex } from 'knex';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { groupCommit } from '../db/group-commit';
import { AppError, NotFound } from '../errors';
import type { Language } from '../policy/detect-language';
import type { RefusalCategory, ScopeRules } from '../policy/scope-guard';
import { maskPrivateData } from '../privacy/mask';
import { assessIntake, isAssessmentOf, type IntakeAssessment } from './intake-assessment';
import { formatReference } from './reference';
import { hashStatusToken, looksLikeStatusToken, newStatusToken } from './status-token';
import type { NewTicketInput } from './ticket.schema';
import type { Channel, FaqSuggestion, Ticket, TicketMessage, TicketStatus } from './ticket.types';
import * as repo from './tickets.repository';

/** Finds FAQ answers that may already solve a request; the FAQ module provides the real one. */
export type SuggestAnswers = (text: string, limit: number) => FaqSuggestion[];

export interface TicketServiceDeps {
  db: Db;
  profile: CourtProfile;
  scopeRules: ScopeRules;
  now?: () => Date;
  suggestAnswers?: SuggestAnswers;
  /** Queues the acknowledgement (or refusal notice) emails of new requests, together; absent when mail is off. */
  acknowledge?: (q: Db, items: Array<{ created: CreatedTicket; thread?: MailThread }>) => Promise<unknown>;
  /** Told when a web or API request's acknowledgement could not be queued (the request itself is stored). */
  onAcknowledgeError?: (error: unknown, reference: string) => void;
  /** Told the scope guard's outcome for each new request, once it is stored (the metrics count them). */
  onDecided?: (outcome: ScopeOutcome, channel: Channel) => void;
}

/** The scope guard's outcome for a new request, as counted: refused, accepted but unsure, accepted with parts declined, accepted. */
export type ScopeOutcome = 'refuse' | 'review' | 'declined' | 'accept';

const outcomeOf = (created: CreatedTicket): ScopeOutcome =>
  created.refusal
    ? 'refuse'
    : created.ticket.flags.includes('needs_review')
      ? 'review'
      : created.declined.length > 0
        ? 'declined'
        : 'accept';

/** Where a message sits in an email thread. */
export type MailThread = { inReplyTo: string | null; references: string[] };

/** A new request that came by email, with the thread its acknowledgement answers (null: no acknowledgement). */
export interface EmailRequest {
  input: NewTicketInput;
  origin: EmailOrigin;
  acknowledgeIn: MailThread | null;
  /** Its assessment, when the mail reader made it ahead (used only if made from these very words). */
  assessed?: IntakeAssessment;
}

/** What an emailed message adds to the stored message: where it came from and its HTML as received. */
export interface EmailOrigin {
  messageId: string;
  inboundMailId: number;
  fromAddress: string;
  subject: string;
  htmlReceived: string | null;
  /** What the scope guard judges: the sender's own words ('' for mail from a court itself). */
  ownWords?: string;
}

export interface CreatedTicket {
  ticket: Ticket;
  /** The whole request is outside the helpdesk's scope (stored as rejected). */
  refusal: RefusalCategory | null;
  /** Accepted, but these parts are declined (a mixed request). */
  declined: RefusalCategory[];
  /** The language the scope guard read the request in: refusals and acknowledgements are written in it. */
  language: Language;
  /** Kinds of private data that were masked. */
  redacted: string[];
  /** The private status token; shown once to the filer, only its hash is kept. */
  statusToken: string;
  caseNumbers: CaseNumber[];
  suggestions: FaqSuggestion[];
}

export interface TicketView {
  ticket: Ticket;
  messages: TicketMessage[];
  caseNumbers: CaseNumber[];
}

// A filer's reply brings a finished or paused ticket back into the queue.
const REOPENED_BY_REPLY: Partial<Record<TicketStatus, TicketStatus>> = {
  resolved: 'open',
  closed: 'open',
  waiting: 'open',
};

function messageOrigin(origin: EmailOrigin | undefined) {
  if (!origin) return { messageId: null };
  return {
    messageId: origin.messageId,
    inboundMailId: origin.inboundMailId,
    fromAddress: origin.fromAddress,
    subject: origin.subject,
  };
}

/** The one intake service for help requests: web form, JSON API and (later) email. */
export function createTicketService(deps: TicketServiceDeps) {
  const { db, profile, scopeRules } = deps;
  const now = deps.now ?? (() => new Date());
  const suggestAnswers: SuggestAnswers = deps.suggestAnswers ?? (() => []);
  // Requests arriving together are committed together (see group-commit.ts).
  const insertTicket = groupCommit((take: () => repo.NewTicketRecord[]) =>
    db.transaction((trx) => repo.insertNewTickets(trx, take())),
  );

  /** Stores a message from the filer with private numbers masked; the original is kept for administrators. */
  async function addRequesterMessage(trx: Db, ticketId: number, text: string, at: string, origin?: EmailOrigin): Promise<number> {
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

  /** Adds the filer's message and brings a finished or paused ticket back into the queue. */
  async function addReply(trx: Db, ticket: Ticket, body: string, at: string, origin?: EmailOrigin): Promise<TicketStatus> {
    const reopenAs = REOPENED_BY_REPLY[ticket.status];
    await addRequesterMessage(trx, ticket.id, body, at, origin);
    await repo.appendEvent(trx, ticket.id, { actor: 'requester', action: 'replied', createdAt: at });
    if (reopenAs && (await repo.updateStatus(trx, ticket.id, ticket.status, reopenAs, at))) {
      await repo.appendEvent(trx, ticket.id, {
        actor: 'requester',
        action: 'status_changed',
        before: { status: ticket.status },
        after: { status: reopenAs },
        createdAt: at,
      });
      return reopenAs;
    }
    await repo.touchTicket(trx, ticket.id, at);
    return ticket.status;
  }

  /** The new ticket's record and, once its id is known, what the caller is told. */
  function prepareTicket(input: NewTicketInput, channel: Channel, origin?: EmailOrigin, assessed?: IntakeAssessment) {
    const createdAt = now().toISOString();
    const referenceYear = localParts(profile.timezone, new Date(createdAt)).year;
    const statusToken = newStatusToken();
    const words = { subject: input.subject, body: input.body, caseNumber: input.caseNumber, ownWords: origin?.ownWords };
    const { policy, caseNumbers } =
      assessed && isAssessmentOf(assessed, words, scopeRules) ? assessed : assessIntake(scopeRules, words);
    const status = policy.refusal ? 'rejected' : 'new';
    const firstResponseDueAt = policy.refusal
      ? null
      : addBusinessHours(profile, new Date(createdAt), profile.firstResponseBusinessHours).toISOString();
    const masked = policy.body !== input.body;
    const record: repo.NewTicketRecord = {
      referenceYear,
      channel,
      subject: policy.subject,
      requesterName: input.name,
      requesterEmail: input.email,
      requesterPhone: input.phone ?? null,
      statusTokenHash: hashStatusToken(statusToken),
      flags: policy.flags,
      status,
      policyReasons: policy.reasons,
      createdAt,
      firstResponseDueAt,
      firstMessage: {
        direction: 'in',
        author: 'requester',
        bodyText: policy.body,
        createdAt,
        ...messageOrigin(origin),
        htmlReceived: masked ? null : (origin?.htmlReceived ?? null),
      },
      caseNumbers,
      originals: {
        ...(policy.subject !== input.subject ? { subject: input.subject } : {}),
        ...(masked ? { body: input.body } : {}),
      },
    };
    // FAQ suggestions cost a search: made only when someone will read them (the page, the acknowledgement).
    const created = (id: number, withSuggestions = true): CreatedTicket => ({
      ticket: {
        id,
        reference: formatReference(referenceYear, id),
        status,
        channel,
        subject: policy.subject,
        requesterName: input.name,
        requesterEmail: input.email,
        requesterPhone: input.phone ?? null,
        flags: policy.flags,
        createdAt,
        updatedAt: createdAt,
        closedAt: null,
        assigneeId: null,
        version: 1,
        mergedIntoId: null,
        firstResponseDueAt,
        firstResponseAt: null,
        policyReasons: policy.reasons,
      },
      statusToken,
      caseNumbers,
      suggestions: policy.refusal || !withSuggestions ? [] : suggestAnswers(`${policy.subject} ${policy.body}`, 3),
      refusal: policy.refusal,
      declined: policy.declined,
      language: policy.language,
      redacted: policy.redactions.map((r) => r.kind),
    });
    return { record, created };
  }

  /** A refused request the filer disputes goes back in front of staff as new, flagged review_requested. */
  async function markForReview(trx: Db, ticketId: number, at: string): Promise<void> {
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

  function decided(results: CreatedTicket[], channel: Channel) {
    for (const r of results) deps.onDecided?.(outcomeOf(r), channel);
  }

  async function ticketForToken(token: string): Promise<Ticket> {
    const ticket = looksLikeStatusToken(token) ? await repo.findTicketByTokenHash(db, hashStatusToken(token)) : undefined;
    if (!ticket) throw new NotFound('We could not find a request for this link. Check that you copied the whole link.');
    // A request merged into another continues there: its link shows and answers the combined ticket.
    if (ticket.mergedIntoId) return (await repo.findTicketById(db, ticket.mergedIntoId)) ?? ticket;
    return ticket;
  }

  return {
    /**
     * Stores a new request with its first message and case numbers, in one transaction. The intake
     * policy runs first: private numbers are masked, and a request outside the helpdesk's scope is
     * stored as rejected with its reasons (nothing a filer sends is dropped).
     */
    async create(input: NewTicketInput, channel: Channel): Promise<CreatedTicket> {
      const { record, created } = prepareTicket(input, channel);
      const result = created(await insertTicket(record));
      decided([result], channel);
      // The filer has the thank-you page already; an email copy that fails to queue is logged, not fatal
      // (failing the request would invite a retry, and a second ticket).
      if (deps.acknowledge)
        await deps
          .acknowledge(db, [{ created: result }])
          .catch((error: unknown) => deps.onAcknowledgeError?.(error, result.ticket.reference));
      return result;
    },

    /**
     * Creates tickets from emails inside the caller's transaction (one multi-row insert), so each
     * stored mail is marked processed, and its acknowledgement queued, in the same commit as its ticket.
     */
    async createManyWithin(trx: Db, items: EmailRequest[]): Promise<CreatedTicket[]> {
      const prepared = items.map((item) => prepareTicket(item.input, 'email', item.origin, item.assessed));
      const ids = await repo.insertNewTickets(
        trx,
        prepared.map((p) => p.record),
      );
      const results = items.map((item, i) => prepared[i].created(ids[i], Boolean(item.acknowledgeIn && deps.acknowledge)));
      // Counted once the caller's transaction commits: a batch undone and done again counts once.
      if ('executionPromise' in trx)
        (trx as Knex.Transaction).executionPromise.then(
          () => decided(results, 'email'),
          () => undefined,
        );
      else decided(results, 'email');
      const acknowledged = items.flatMap((item, i) =>
        item.acknowledgeIn ? [{ created: results[i], thread: item.acknowledgeIn }] : [],
      );
      if (deps.acknowledge && acknowledged.length > 0) await deps.acknowledge(trx, acknowledged);
      return results;
    },

    /**
     * Adds an emailed reply inside the caller's transaction; returns the ticket's status after it. A
     * reply to a refusal is the filer answering it, so the request goes back to staff for review.
     */
    async replyWithin(trx: Db, ticket: Ticket, body: string, origin: EmailOrigin): Promise<TicketStatus> {
      const at = now().toISOString();
      if (ticket.status !== 'rejected') return addReply(trx, ticket, body, at, origin);
      await addRequesterMessage(trx, ticket.id, body, at, origin);
      await markForReview(trx, ticket.id, at);
      return 'new';
    },

    /** FAQ answers that may solve the request, from its subject and first message. */
    suggestionsFor(view: TicketView): FaqSuggestion[] {
      const first = view.messages.find((m) => m.direction === 'in');
      return suggestAnswers(`${view.ticket.subject} ${first?.bodyText ?? ''}`, 3);
    },

    /** FAQ answers for a request not yet sent (the confirmation step of the form). */
    suggestionsForDraft(subject: string, body: string): FaqSuggestion[] {
      return suggestAnswers(`${subject} ${body}`, 3);
    },

    /** The filer's view of a request, by its private token. */
    async viewByToken(token: string): Promise<TicketView> {
      const ticket = await ticketForToken(token);
      const [messages, caseNumbers] = await Promise.all([repo.listMessages(db, ticket.id), repo.listCaseNumbers(db, ticket.id)]);
      return { ticket, messages, caseNumbers };
    },

    /** Adds the filer's reply (private numbers masked); a resolved, closed or waiting request goes back to open. */
    async replyAsRequester(token: string, body: string): Promise<Ticket> {
      const ticket = await ticketForToken(token);
      const at = now().toISOString();
      const status = await db.transaction((trx) => addReply(trx, ticket, body, at));
      return { ...ticket, status, updatedAt: at };
    },

    /**
     * "This is a technical question": the filer disputes a refusal. The request goes back in front of
     * staff as new, flagged review_requested, with the filer's explanation as a message.
     */
    async requestReview(token: string, explanation: string): Promise<Ticket> {
      const ticket = await ticketForToken(token);
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
      const ticket = await ticketForToken(token);
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
        }
      });
      return { ...ticket, status: 'closed', closedAt: at, updatedAt: at };
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;

import type { Knex } from 'knex';
import type { AcceptedFile } from '../attachments/uploaded-file';
import { addBusinessHours, localParts } from '../calendar/business-time';
import type { Db } from '../db/knex';
import { groupCommit } from '../db/group-commit';
import { assessIntake, assessWithoutJudging, isAssessmentOf, type IntakeAssessment } from './intake-assessment';
import { formatReference } from './reference';
import { intakeLanguage, type LanguageChoice } from './request-language';
import { messageOrigin } from './requester-records';
import { hashStatusToken, newStatusToken } from './status-token';
import { firstMessageId, insertWebAttachments } from './ticket-attachments.repository';
import type { ScopeOutcome, TicketServiceContext } from './ticket-service-deps';
import type { NewTicketInput } from './ticket.schema';
import type { Channel, CreatedTicket, EmailOrigin, MailThread } from './ticket.types';
import * as repo from './tickets.repository';

/** A new request that came by email, with the thread its acknowledgement answers (null: no acknowledgement). */
export interface EmailRequest {
  input: NewTicketInput;
  origin: EmailOrigin;
  acknowledgeIn: MailThread | null;
  /** Its assessment, when the mail reader made it ahead (used only if made from these very words). */
  assessed?: IntakeAssessment;
}

const outcomeOf = (created: CreatedTicket): ScopeOutcome =>
  created.refusal
    ? 'refuse'
    : created.ticket.flags.includes('needs_review')
      ? 'review'
      : created.declined.length > 0
        ? 'declined'
        : 'accept';

/**
 * A request stored beside the caller's own records (a report of an outage): with `flags` added, with
 * `judge: false` read for private numbers and case numbers but not judged by the scope guard, and with
 * `firstResponseDue: false` given no first-response target (it is answered with others, later).
 */
export interface RequestWithin {
  input: NewTicketInput;
  channel: Channel;
  flags: string[];
  judge: boolean;
  firstResponseDue: boolean;
  /** How its language is chosen (see intakeLanguage); read from its text when not given. */
  language?: LanguageChoice;
}

/** Intake of new requests, by web form, JSON API or email: the intake policy reads each, then it is stored. */
export function createTicketIntake(ctx: TicketServiceContext) {
  const { db, profile, scopeRules, now, suggestAnswers } = ctx;
  // Requests arriving together are committed together (see group-commit.ts).
  const insertTicket = groupCommit((take: () => repo.NewTicketRecord[]) =>
    db.transaction((trx) => repo.insertNewTickets(trx, take())),
  );

  /** The new ticket's record and, once its id is known, what the caller is told. */
  function prepareTicket(
    input: NewTicketInput,
    channel: Channel,
    origin?: EmailOrigin,
    assessed?: IntakeAssessment,
    within?: Pick<RequestWithin, 'flags' | 'judge' | 'firstResponseDue'>,
    languageChoice: LanguageChoice = {},
  ) {
    const createdAt = now().toISOString();
    const referenceYear = localParts(profile.timezone, new Date(createdAt)).year;
    const statusToken = newStatusToken();
    const words = { subject: input.subject, body: input.body, caseNumber: input.caseNumber, ownWords: origin?.ownWords };
    const assessment =
      within?.judge === false
        ? assessWithoutJudging(scopeRules, words)
        : assessed && isAssessmentOf(assessed, words, scopeRules)
          ? assessed
          : assessIntake(scopeRules, words);
    const { caseNumbers } = assessment;
    const policy = within
      ? { ...assessment.policy, flags: [...new Set([...within.flags, ...assessment.policy.flags])] }
      : assessment.policy;
    const status = policy.refusal ? 'rejected' : 'new';
    const firstResponseDueAt =
      policy.refusal || within?.firstResponseDue === false
        ? null
        : addBusinessHours(profile, new Date(createdAt), profile.firstResponseBusinessHours).toISOString();
    const masked = policy.body !== input.body;
    // Recorded with the ticket: its acknowledgement, refusal and staff replies are written in it.
    // Email, and the API without `language`: the language the scope guard read the request in.
    const language =
      languageChoice.chosen || languageChoice.page
        ? intakeLanguage(`${input.subject}\n${input.body}`, languageChoice)
        : policy.language;
    // One FAQ search a request, made before it is stored: the best match proposes the ticket's topic,
    // and the first three are the answers suggested to the filer.
    const matches = suggestAnswers(`${policy.subject} ${policy.body}`, 3, language);
    const topic = matches[0]?.topic ?? null;
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
      topic,
      language,
    };
    // Suggestions go only where someone reads them (the page, the acknowledgement), never with a refusal.
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
        topic,
        language,
      },
      statusToken,
      caseNumbers,
      suggestions: policy.refusal || !withSuggestions ? [] : matches.map(({ id, title, url }) => ({ id, title, url })),
      refusal: policy.refusal,
      declined: policy.declined,
      language,
      redacted: policy.redactions.map((r) => r.kind),
    });
    return { record, created };
  }

  function decided(results: CreatedTicket[], channel: Channel) {
    for (const r of results) ctx.onDecided?.(outcomeOf(r), channel);
  }

  return {
    /**
     * Stores a new request with its first message and case numbers, in one transaction. The intake
     * policy runs first: private numbers are masked, and a request outside the helpdesk's scope is
     * stored as rejected with its reasons (nothing a filer sends is dropped).
     */
    async create(
      input: NewTicketInput,
      channel: Channel,
      files: AcceptedFile[] = [],
      language: LanguageChoice = {},
    ): Promise<CreatedTicket> {
      const { record, created } = prepareTicket(input, channel, undefined, undefined, undefined, language);
      // Files go in the ticket's own transaction (a request is never stored without what came with it).
      const id =
        files.length === 0
          ? await insertTicket(record)
          : await db.transaction(async (trx) => {
              const [ticketId] = await repo.insertNewTickets(trx, [record]);
              const messageId = await firstMessageId(trx, ticketId);
              await insertWebAttachments(trx, ticketId, messageId, files, record.createdAt);
              return ticketId;
            });
      const result = created(id);
      decided([result], channel);
      // The filer has the thank-you page already; an email copy that fails to queue is logged, not fatal
      // (failing the request would invite a retry, and a second ticket).
      if (ctx.acknowledge)
        await ctx
          .acknowledge(db, [{ created: result }])
          .catch((error: unknown) => ctx.onAcknowledgeError?.(error, result.ticket.reference));
      return result;
    },

    /**
     * Stores requests inside the caller's transaction (one multi-row insert), which writes its own
     * records and mail in the same commit: nothing is acknowledged or counted here. Each comes back
     * with its first message as stored (masked).
     */
    async storeWithin(trx: Db, items: RequestWithin[]): Promise<Array<CreatedTicket & { bodyText: string }>> {
      const prepared = items.map((item) => prepareTicket(item.input, item.channel, undefined, undefined, item, item.language));
      const ids = await repo.insertNewTickets(
        trx,
        prepared.map((p) => p.record),
      );
      return prepared.map((p, i) => ({ ...p.created(ids[i], false), bodyText: p.record.firstMessage.bodyText }));
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
      const results = items.map((item, i) => prepared[i].created(ids[i], Boolean(item.acknowledgeIn && ctx.acknowledge)));
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
      if (ctx.acknowledge && acknowledged.length > 0) await ctx.acknowledge(trx, acknowledged);
      return results;
    },
  };
}

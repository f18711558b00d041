import type { Db } from '../../db/knex';
import type { Logger } from '../../logger';
import type { ScopeRules } from '../../policy/scope-guard';
import type { Ticket } from '../../tickets/ticket.types';
import * as tickets from '../../tickets/tickets.repository';
import type { EmailOrigin, EmailRequest, TicketService } from '../../tickets/tickets.service';
import type { TicketMail } from '../outbound/ticket-mail';
import { checkAttachment, DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from './attachment-policy';
import { recordDeliveryReport } from './delivery-report';
import { bodyOf, startsFresh, subjectOf } from './email-request';
import * as repo from './inbound-mail.repository';
import { inspectMessage } from './inspect-message';
import { storeRaw } from './raw-mail.repository';
import { inlineReader, ReaderFailed, type MailReader, type ReadJob, type ReadMail, type ReadOutcome } from './mail-reader';
import type { MessageReading } from './read-message';
import { threadTicket } from './thread-ticket';

// Messages committed together: one IMAP batch, so one disk sync for it; the single database
// connection is then held for about a tenth of a second, which a web page can wait.
const PROCESS_BATCH = 100;

/** A message failed in a way that processing it again will not fix without a person (no sender, say). */
class Unprocessable extends Error {}

const NO_SENDER = 'The message has no usable sender address, so there is no one to answer.';
// A message whose processing stopped the helpdesk this many times is set aside instead of tried again.
const MAX_STARTS = 3;
const STOPPED_THE_HELPDESK = `Processing this message stopped the helpdesk ${MAX_STARTS} times, so it was set aside to let the mail after it through.`;

/** Whether handling a message needs a sender to answer (everything but bounces and our own mail). */
const needsSender = (reading: MessageReading) =>
  reading.classification.kind !== 'bounce' && reading.classification.kind !== 'own_address';

export interface MailIntakeDeps {
  db: Db;
  tickets: TicketService;
  scopeRules: ScopeRules;
  /** Queues acknowledgements and notices; absent when outgoing mail is off. */
  ticketMail?: TicketMail;
  /** The helpdesk's own addresses: mail from them is never a request. */
  ownAddresses: string[];
  now?: () => Date;
  log: Logger;
  attachmentLimits?: AttachmentLimits;
  /** Parses and reads raw messages; on the calling thread unless another is given. */
  reader?: MailReader;
}

/**
 * Messages being read before they are stored: `mail:poll` hands the reader a batch as soon as it is
 * fetched, so it is read while the batch before it is written.
 */
export interface ReadAhead {
  raws: Buffer[];
  job: ReadJob;
}

/** A read-ahead matched to the stored rows: row id to its place in `raws`. */
interface Early extends ReadAhead {
  at: Map<number, number>;
}

/** A stored message, parsed and read. */
interface Parsed {
  row: repo.InboundRow;
  mail: ReadMail;
  reading: MessageReading;
}

export type ProcessOutcome =
  | { id: number; status: 'processed'; kind: repo.InboundKind; ticketId: number | null }
  | { id: number; status: 'quarantined'; error: string };

/**
 * Email intake. Raw messages are stored first (a second copy of a message is refused by the
 * database); then each stored message is processed in one transaction that creates or updates its
 * ticket, queues any acknowledgement and marks it processed. A message that cannot be processed is
 * quarantined with the reason and never holds up the ones after it.
 */
export function createMailIntake(deps: MailIntakeDeps) {
  const { db, ticketMail, ownAddresses, log } = deps;
  const now = deps.now ?? (() => new Date());
  const limits = deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
  const reader = deps.reader ?? inlineReader(ownAddresses);

  async function storeAttachments(trx: Db, mail: ReadMail, ticket: Ticket, inboundMailId: number, at: string) {
    const refused: Array<{ filename: string; message: string }> = [];
    const rows = mail.attachments.map((a, i) => {
      const filename = a.filename ?? `attachment-${i + 1}`;
      const verdict = checkAttachment({ filename: a.filename, contentType: a.contentType, size: a.size }, limits);
      if (!verdict.ok) refused.push({ filename, message: verdict.message });
      return {
        ticketId: ticket.id,
        inboundMailId,
        filename,
        contentType: a.contentType,
        size: a.size,
        content: verdict.ok ? a.content : null,
        refusedReason: verdict.ok ? null : verdict.reason,
      };
    });
    await repo.insertAttachments(trx, rows, at);
    return refused;
  }

  function originOf(row: repo.InboundRow, reading: MessageReading, sender: NonNullable<MessageReading['from']>): EmailOrigin {
    // A Message-ID too long to store (or none) is replaced by one of ours; the raw copy keeps the
    // original. So is one an earlier, different message has: replies to it keep going to that one's ticket.
    const usable = reading.messageId && reading.messageId.length <= 400 && row.duplicate_of === null ? reading.messageId : null;
    return {
      messageId: usable ?? `<inbound.${row.id}@helpdesk.invalid>`,
      inboundMailId: row.id,
      fromAddress: sender.address,
      subject: reading.subject.slice(0, 1000),
      htmlReceived: reading.html,
      ownWords: reading.ownWords,
    };
  }

  /** Stores attachments within the limits and tells the sender (a person, not a list) about those refused. */
  async function keepAttachments(trx: Db, item: Parsed, ticket: Ticket, origin: EmailOrigin, at: string) {
    if (item.mail.attachments.length === 0) return;
    const refused = await storeAttachments(trx, item.mail, ticket, item.row.id, at);
    if (refused.length > 0 && item.reading.classification.kind === 'request' && ticketMail && item.reading.from)
      await ticketMail.attachmentsRefused(
        trx,
        ticket,
        item.reading.from,
        refused,
        { inReplyTo: origin.messageId, references: [origin.messageId] },
        item.row.id,
      );
  }

  /** Notes on the ticket that its message came with the Message-ID of an earlier, different message. */
  async function noteReusedMessageId(trx: Db, row: repo.InboundRow, ticketId: number, at: string) {
    if (row.duplicate_of === null) return;
    await tickets.appendEvent(trx, ticketId, {
      actor: 'system',
      action: 'message_id_reused',
      after: { note: 'This message arrived with the Message-ID of an earlier, different message.', message: row.id },
      createdAt: at,
    });
  }

  /** New tickets for messages that start fresh, with one multi-row insert; returns them in order. */
  async function addNewTickets(trx: Db, items: Parsed[]): Promise<Ticket[]> {
    const at = now().toISOString();
    const requests: EmailRequest[] = items.map((item) => {
      const sender = item.reading.from as NonNullable<MessageReading['from']>;
      const origin = originOf(item.row, item.reading, sender);
      const thread = {
        inReplyTo: origin.messageId,
        references: [...item.reading.keys.messageIds.slice().reverse(), origin.messageId],
      };
      return {
        input: {
          name: sender.name,
          email: sender.address,
          subject: subjectOf(item.reading),
          body: bodyOf(item.reading, item.mail.attachments.length),
        },
        origin,
        // List mail staff make a ticket of is never answered automatically (RFC 3834).
        acknowledgeIn: item.reading.classification.kind === 'request' ? thread : null,
        assessed: item.mail.assessed,
      };
    });
    const created = await deps.tickets.createManyWithin(trx, requests);
    for (const [i, item] of items.entries()) {
      await keepAttachments(trx, item, created[i].ticket, requests[i].origin, at);
      await noteReusedMessageId(trx, item.row, created[i].ticket.id, at);
    }
    return created.map((c) => c.ticket);
  }

  /** Handles one message that needs looking up (a reply, an auto-reply, a bounce); marks nothing. */
  async function handle(trx: Db, item: Parsed): Promise<{ kind: repo.InboundKind; ticketId: number | null }> {
    const { row, reading } = item;
    const at = now().toISOString();
    const { classification } = reading;
    if (classification.kind === 'own_address') return { kind: 'own_address', ticketId: null };
    if (classification.kind === 'bounce')
      return { kind: 'bounce', ticketId: await recordDeliveryReport(trx, row.id, reading, at) };
    if (!reading.from) throw new Unprocessable(NO_SENDER);
    const ticket = await threadTicket(trx, reading);
    if (classification.kind === 'auto_reply') {
      // An out-of-office answer to our mail: noted on the ticket's history, no message, no answer.
      if (ticket)
        await tickets.appendEvent(trx, ticket.id, {
          actor: 'system',
          action: 'auto_reply_received',
          after: { from: reading.from.address, subject: reading.subject.slice(0, 200) },
          createdAt: at,
        });
      return { kind: 'auto_reply', ticketId: ticket?.id ?? null };
    }
    // List mail that continues a ticket joins it; any other is set aside for staff (make it a ticket).
    if (!ticket && classification.kind === 'list') return { kind: 'list', ticketId: null };
    if (!ticket) return { kind: 'new', ticketId: (await addNewTickets(trx, [item]))[0].id };
    const origin = originOf(row, reading, reading.from);
    await deps.tickets.replyWithin(trx, ticket, bodyOf(reading, item.mail.attachments.length), origin);
    await keepAttachments(trx, item, ticket, origin, at);
    await noteReusedMessageId(trx, row, ticket.id, at);
    return { kind: 'reply', ticketId: ticket.id };
  }

  async function quarantine(id: number, error: unknown): Promise<ProcessOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    await repo.markQuarantined(db, id, message, now().toISOString());
    log.warn({ inboundMailId: id, err: message }, 'mail quarantined');
    return { id, status: 'quarantined', error: message };
  }

  const outcomeOf = (item: Parsed, result: { kind: repo.InboundKind; ticketId: number | null }): repo.ProcessedOutcome => {
    const c = item.reading.classification;
    return {
      ...result,
      fromAddress: item.mail.fromAddress,
      subject: item.mail.subject,
      reason: c.kind === 'list' || c.kind === 'auto_reply' ? c.reason : null,
    };
  };

  /** Handles one message inside `q` and marks it processed; AlreadyProcessed when another run did it. */
  async function handleAndMark(q: Db, item: Parsed) {
    const result = await handle(q, item);
    // Another process finished it first: undo ours, so nothing is stored twice.
    if (!(await repo.markProcessed(q, item.row.id, outcomeOf(item, result), now().toISOString()))) throw new AlreadyProcessed();
    return result;
  }

  /**
   * Reads messages; when the reader itself fails (its worker ran out of memory, say), they are read
   * again one at a time, and the one that stops the reader is reported as unreadable.
   */
  async function readSafely(raws: Buffer[]): Promise<ReadOutcome[]> {
    try {
      return await reader.read(raws);
    } catch (error) {
      // Not the messages' fault (the reader could not start, or was closed): the pass fails, to be tried again.
      if (error instanceof ReaderFailed) throw error;
      if (raws.length === 1)
        return [{ ok: false, error: `Reading the message stopped the mail reader: ${(error as Error).message}` }];
      const outcomes: ReadOutcome[] = [];
      for (const raw of raws) outcomes.push(...(await readSafely([raw])));
      return outcomes;
    }
  }

  /**
   * Parses and reads stored messages, taking what `ahead` read of the same bytes; a message that
   * cannot be read is returned with the reason instead.
   */
  async function parseAll(
    rows: repo.InboundRow[],
    early?: Early,
  ): Promise<Array<Parsed | { row: repo.InboundRow; error: Error }>> {
    // A reader that failed (its worker died) reads the messages again below, one by one.
    const read = early ? await early.job.finish().catch(() => null) : null;
    const outcomes: Array<ReadOutcome | undefined> = rows.map((row) => {
      const i = early?.at.get(row.id);
      // Only for the same bytes: a copy already stored under the same Message-ID is read from its own.
      return read && early && i !== undefined && early.raws[i].equals(row.raw) ? read[i] : undefined;
    });
    const missing = rows.filter((_, i) => outcomes[i] === undefined);
    const late = missing.length > 0 ? await readSafely(missing.map((r) => r.raw)) : [];
    return rows.map((row, i) => {
      const outcome = outcomes[i] ?? (late.shift() as ReadOutcome);
      return outcome.ok ? { row, mail: outcome.mail, reading: outcome.mail.reading } : { row, error: new Error(outcome.error) };
    });
  }

  /**
   * Processes a batch of stored messages in one transaction (one disk sync for the batch). Runs of
   * messages that start new tickets are inserted together; a message that must be looked up (a
   * reply) is handled on its own, after the run before it is written, so it can thread to it.
   * Messages that cannot be processed are quarantined; any other failure undoes the batch, which is
   * then done one message per transaction, so one bad message can never hold back the others.
   */
  async function processBatch(ids: number[], early?: Early): Promise<ProcessOutcome[]> {
    const all = (await repo.findInboundMany(db, ids)).filter((r) => r.status === 'received');
    const outcomes: ProcessOutcome[] = [];
    // A message being started again was in a run that died: take those one by one, so the one that
    // kills the process is found alone, and set it aside for staff after MAX_STARTS.
    for (const row of all.filter((r) => r.attempts > 1)) {
      const outcome =
        row.attempts > MAX_STARTS ? await quarantine(row.id, new Error(STOPPED_THE_HELPDESK)) : await processOne(row.id);
      if (outcome) outcomes.push(outcome);
    }
    const rows = all.filter((r) => r.attempts <= 1);
    if (rows.length === 0) return outcomes;
    return [...outcomes, ...(await processTogether(rows, early))];
  }

  async function processTogether(rows: repo.InboundRow[], early?: Early): Promise<ProcessOutcome[]> {
    const parsed = await parseAll(rows, early);
    try {
      return await db.transaction(async (trx) => {
        const outcomes: ProcessOutcome[] = [];
        let fresh: Parsed[] = [];
        const flush = async () => {
          if (fresh.length === 0) return;
          const created = await addNewTickets(trx, fresh);
          const marks = fresh.map((item, i) => ({
            id: item.row.id,
            ...outcomeOf(item, { kind: 'new', ticketId: created[i].id }),
          }));
          if (!(await repo.markProcessedMany(trx, marks, now().toISOString()))) throw new AlreadyProcessed();
          outcomes.push(...marks.map((m) => ({ id: m.id, status: 'processed' as const, kind: m.kind, ticketId: m.ticketId })));
          fresh = [];
        };
        for (const item of parsed) {
          if ('error' in item || (!item.reading.from && needsSender(item.reading))) {
            await flush();
            const error = 'error' in item ? item.error.message : NO_SENDER;
            await repo.markQuarantined(trx, item.row.id, error, now().toISOString());
            log.warn({ inboundMailId: item.row.id, err: error }, 'mail quarantined');
            outcomes.push({ id: item.row.id, status: 'quarantined', error });
          } else if (startsFresh(item.reading)) fresh.push(item);
          else {
            await flush();
            const result = await handleAndMark(trx, item);
            outcomes.push({ id: item.row.id, status: 'processed', ...result });
          }
        }
        await flush();
        return outcomes;
      });
    } catch (error) {
      log.warn({ err: error }, 'a batch of mail failed as a whole; processing its messages one by one');
      const outcomes: ProcessOutcome[] = [];
      for (const item of parsed) {
        const outcome = await processOne(item.row.id, 'error' in item ? item.error : item);
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    }
  }

  /** Processes one stored message in its own transaction; a message already processed is left alone. */
  async function processOne(id: number, parsed?: Parsed | Error): Promise<ProcessOutcome | null> {
    const row = await repo.findInbound(db, id);
    if (!row || row.status !== 'received') return null;
    if (parsed instanceof Error) return quarantine(id, parsed);
    let item: Parsed;
    if (parsed) item = { ...parsed, row };
    else {
      const [read] = await parseAll([row]);
      if ('error' in read) return quarantine(id, read.error);
      item = read;
    }
    try {
      const result = await db.transaction((trx) => handleAndMark(trx, item));
      return { id, status: 'processed', ...result };
    } catch (error) {
      if (error instanceof AlreadyProcessed) return null;
      return quarantine(id, error);
    }
  }

  return {
    /**
     * Stores raw messages (and `alongside`, in the same commit); returns their row ids, a copy
     * already stored giving the old id.
     */
    store: (arrivals: repo.RawArrival[], alongside?: (trx: Db) => Promise<void>) =>
      db.transaction(async (trx) => {
        // Processing follows at once: its start is counted in this commit (no extra disk sync).
        const ids = await storeRaw(trx, arrivals, now().toISOString());
        await alongside?.(trx);
        return ids;
      }),

    /** Gets the reader ready (a worker loads meanwhile), before mail is fetched. */
    warm: () => reader.warm(),

    /** Starts reading messages not yet stored; see ReadAhead. */
    readAhead(raws: Buffer[]): ReadAhead {
      return { raws, job: reader.start(raws) };
    },

    /**
     * Processes every stored message still waiting (all of them, or those among `ids`), oldest first;
     * `ahead` holds what was read of them before they were stored, in the order of `ids`.
     */
    async processPending(ids?: number[], ahead?: ReadAhead): Promise<ProcessOutcome[]> {
      const early = ids && ahead ? { ...ahead, at: new Map(ids.map((id, i) => [id, i])) } : undefined;
      const outcomes: ProcessOutcome[] = [];
      // Given ids need no look first: processBatch reads each and leaves any no longer waiting.
      const pending = ids ? [...new Set(ids)].sort((a, b) => a - b) : await repo.pendingIds(db);
      // Messages just stored had their start counted with them (see store); leftovers have it counted now.
      if (!ids && pending.length > 0) await repo.countAttempt(db, pending);
      for (let i = 0; i < pending.length; i += PROCESS_BATCH)
        outcomes.push(...(await processBatch(pending.slice(i, i + PROCESS_BATCH), early)));
      return outcomes;
    },

    /** Staff "try again" on a quarantined message. */
    async retry(id: number): Promise<ProcessOutcome | null> {
      if (!(await repo.requeue(db, id))) return null;
      await repo.countAttempt(db, [id]);
      return processOne(id);
    },

    /**
     * Staff "make it a ticket" on list mail set aside: the ticket is created as intake creates any,
     * never acknowledged (RFC 3834: no automatic answer to a list). Null when the message is not list
     * mail waiting (another click made it a ticket first, say).
     */
    async makeTicket(id: number, staffId: number): Promise<Ticket | null> {
      const row = await repo.findInbound(db, id);
      if (!row || row.status !== 'processed' || row.kind !== 'list' || row.ticket_id !== null) return null;
      const [read] = await parseAll([row]);
      if ('error' in read || !read.reading.from) return null;
      try {
        const ticket = await db.transaction(async (trx) => {
          const [created] = await addNewTickets(trx, [read]);
          if (!(await repo.attachListTicket(trx, id, created.id))) throw new AlreadyProcessed();
          await tickets.appendEvent(trx, created.id, {
            actor: `staff:${staffId}`,
            action: 'made_from_list_mail',
            after: { message: id },
            createdAt: now().toISOString(),
          });
          return created;
        });
        return ticket;
      } catch (error) {
        if (error instanceof AlreadyProcessed) return null;
        throw error;
      }
    },

    /** What intake would do with a raw message, without storing anything (mail:inspect). */
    inspect: (raw: Buffer) => inspectMessage({ db, scopeRules: deps.scopeRules, ownAddresses }, raw),
  };
}

class AlreadyProcessed extends Error {}

export type MailIntake = ReturnType<typeof createMailIntake>;

import { referralItems } from '../../referrals/referrals';
import type { CourtProfile } from '../../config/court-profile';
import type { Db } from '../../db/knex';
import { translator } from '../../i18n/i18n';
import { detectLanguage, type Language } from '../../policy/detect-language';
import { PRIVACY_WARNING, REFUSAL_TEXT } from '../../policy/refusal-messages';
import type { RefusalCategory } from '../../policy/scope-guard';
import type { Ticket } from '../../tickets/ticket.types';
import type { CreatedTicket, MailThread } from '../../tickets/tickets.service';
import { ticketThreadMessageIds, type OutgoingMail } from './outbox.repository';
import type { Outbox, QueueResult } from './outbox.service';
import { renderEmail } from './render-email';

/** The Message-IDs a new message continues: the one it answers, and the chain before it. */
export type Thread = MailThread;

/** An outage on now, as an acknowledgement tells of it: what is down, since when (in words), its public message. */
export interface OutageNotice {
  what: string;
  since: string;
  message: string;
}

export interface TicketMailDeps {
  outbox: Outbox;
  profile: CourtProfile;
  /** Absolute base of links in mail, such as https://helpdesk.example.gov */
  baseUrl: string;
  /**
   * The outages on now, read with the caller's query runner (email intake acknowledges inside its
   * transaction): acknowledgements made during an outage carry its notice.
   */
  outageNotices?: (q: Db, language: Language) => Promise<OutageNotice[]>;
}

// Long chains are cut to the most recent ones (RFC 5322 allows it; some servers refuse huge headers).
const MAX_REFERENCES = 20;

const tagged = (ticket: Ticket, subject: string) => `[${ticket.reference}] ${subject}`;

// Filer mail goes out in the ticket's language (SPEC §14): one template per message, its words from
// locales/<language>/emails.json (renderEmail gives the template `t` for `lang`).
const refusalSubject = (ticket: Ticket, language: Language) =>
  tagged(ticket, translator(language)('emails:refusal.subject', { subject: ticket.subject }));
/** The language of a ticket's mail: as recorded at intake, or for a ticket from before, read from its subject. */
const mailLanguage = (ticket: Ticket): Language => ticket.language ?? detectLanguage(ticket.subject);

/**
 * The thread headers of a new message on a ticket: every Message-ID it has, the filer's last one
 * answered. `own` is the new message's Message-ID when it is already stored (a staff reply), so that
 * it never answers itself.
 */
export async function ticketThread(q: Db, ticketId: number, own?: string): Promise<Thread> {
  const { stored: received, queued: sent } = await ticketThreadMessageIds(q, ticketId);
  const all = [
    ...received.map((m) => ({ id: m.message_id, at: m.created_at })),
    ...sent.map((m) => ({ id: m.message_id, at: m.created_at })),
  ]
    .filter((m) => m.id !== own)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((m) => m.id);
  const lastFromFiler = received.filter((m) => m.direction === 'in').at(-1)?.message_id ?? null;
  return { inReplyTo: lastFromFiler ?? all.at(-1) ?? null, references: [...new Set(all)].slice(-MAX_REFERENCES) };
}

/** Mail about tickets: acknowledgements, refusal notices, staff replies, refused attachments. */
export function createTicketMail(deps: TicketMailDeps) {
  const { outbox, profile, baseUrl } = deps;
  const common = { court: profile.court, helpdesk: profile.helpdesk, baseUrl };

  /**
   * The acknowledgement of a new request (reference, private link, answers that may help, what was
   * declined or masked), or for a refused request the refusal notice with where to go instead.
   */
  function acknowledgement(
    created: CreatedTicket,
    thread: Thread = { inReplyTo: null, references: [] },
    outageNotices: OutageNotice[] = [],
  ): OutgoingMail {
    const { ticket, language } = created;
    const refusal = created.refusal ? REFUSAL_TEXT[language][created.refusal] : null;
    const name = refusal ? 'refusal' : 'acknowledgement';
    const subject = refusal
      ? refusalSubject(ticket, language)
      : tagged(ticket, translator(language)('emails:ack.subject', { subject: ticket.subject }));
    const body = renderEmail(
      name,
      {
        ...common,
        lang: language,
        ticket,
        statusUrl: `${baseUrl}/requests/${created.statusToken}`,
        suggestions: created.suggestions.map((s) => ({ title: s.title, url: `${baseUrl}${s.url}` })),
        declined: created.declined.map((c) => REFUSAL_TEXT[language][c]),
        refusal,
        referrals: created.refusal ? referralItems(profile.referrals, created.refusal, language) : [],
        privacyWarning: created.redacted.length > 0 ? PRIVACY_WARNING[language] : null,
        outageNotices,
        statusPageUrl: `${baseUrl}/status`,
      },
      { subject },
    );
    return {
      kind: refusal ? 'refusal' : 'acknowledgement',
      dedupeKey: `${name}:${ticket.id}`,
      ticketId: ticket.id,
      to: ticket.requesterEmail,
      subject,
      ...body,
      messageId: outbox.newMessageId(),
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      automatic: true,
    };
  }

  return {
    /** Acknowledgements (or refusal notices) of new requests, queued together (see acknowledgement). */
    async acknowledgeMany(q: Db, items: Array<{ created: CreatedTicket; thread?: Thread }>): Promise<QueueResult[]> {
      // One read per language for the whole batch; refusal notices and other mail do not carry the notice.
      const notices = new Map<Language, OutageNotice[]>();
      for (const i of items)
        if (deps.outageNotices && !i.created.refusal && !notices.has(i.created.language))
          notices.set(i.created.language, await deps.outageNotices(q, i.created.language));
      return outbox.queueMany(
        q,
        items.map((i) => acknowledgement(i.created, i.thread, notices.get(i.created.language) ?? [])),
      );
    },

    /** A staff member's reply, threaded under the filer's last message; sent by a person, so not automatic. */
    async staffReply(q: Db, ticket: Ticket, reply: { messageId: string; body: string; staffName: string }): Promise<QueueResult> {
      const thread = await ticketThread(q, ticket.id, reply.messageId);
      const subject = `Re: ${tagged(ticket, ticket.subject)}`;
      const body = renderEmail(
        'staff-reply',
        { ...common, lang: mailLanguage(ticket), ticket, body: reply.body, staffName: reply.staffName },
        { subject },
      );
      return outbox.queue(q, {
        kind: 'staff_reply',
        ticketId: ticket.id,
        to: ticket.requesterEmail,
        subject,
        ...body,
        messageId: reply.messageId,
        inReplyTo: thread.inReplyTo,
        references: thread.references,
        automatic: false,
      });
    },

    /**
     * The refusal notice of a request staff declined after the scope guard flagged it for review: the
     * same notice a refused request gets, threaded under the request. Sent because a person decided,
     * so not automatic; the filer's private link is not known here (only its hash is kept), so the
     * notice points to the one they were given. `language` is the request's (see requestLanguage).
     */
    async refusal(q: Db, ticket: Ticket, category: RefusalCategory, language: Language): Promise<QueueResult> {
      const thread = await ticketThread(q, ticket.id);
      const subject = refusalSubject(ticket, language);
      const body = renderEmail(
        'refusal',
        {
          ...common,
          lang: language,
          ticket,
          refusal: REFUSAL_TEXT[language][category],
          referrals: referralItems(profile.referrals, category, language),
          statusUrl: null,
          privacyWarning: null,
          sentByStaff: true,
        },
        { subject },
      );
      return outbox.queue(q, {
        kind: 'refusal',
        dedupeKey: `refusal:${ticket.id}`,
        ticketId: ticket.id,
        to: ticket.requesterEmail,
        subject,
        ...body,
        messageId: outbox.newMessageId(),
        inReplyTo: thread.inReplyTo,
        references: thread.references,
        automatic: false,
      });
    },

    /** Tells the sender of a message (the requester or, on a reply, whoever wrote it) which attachments were not kept. */
    async attachmentsRefused(
      q: Db,
      ticket: Ticket,
      sender: { name: string; address: string },
      refused: Array<{ filename: string; message: string }>,
      thread: Thread,
      inboundMailId: number,
    ): Promise<QueueResult> {
      const language = mailLanguage(ticket);
      const subject = `Re: ${tagged(ticket, translator(language)('emails:attachments.subject'))}`;
      const body = renderEmail(
        'attachment-refused',
        { ...common, lang: language, ticket, name: sender.name, refused },
        { subject },
      );
      return outbox.queue(q, {
        kind: 'attachment_refused',
        dedupeKey: `attachment_refused:${inboundMailId}`,
        ticketId: ticket.id,
        to: sender.address,
        subject,
        ...body,
        messageId: outbox.newMessageId(),
        inReplyTo: thread.inReplyTo,
        references: thread.references,
        automatic: true,
      });
    },
  };
}

export type TicketMail = ReturnType<typeof createTicketMail>;

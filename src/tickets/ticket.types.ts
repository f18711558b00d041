import type { CaseNumber } from '../case-numbers/find-case-numbers';
import type { Language } from '../policy/detect-language';
import type { RefusalCategory } from '../policy/scope-guard';

export const TICKET_STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed', 'rejected'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Channel = 'web' | 'api' | 'email';

export interface Ticket {
  id: number;
  reference: string;
  status: TicketStatus;
  channel: Channel;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  requesterPhone: string | null;
  flags: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  assigneeId: number | null;
  /** Raised by every staff change; a change made against an older version is refused. */
  version: number;
  mergedIntoId: number | null;
  firstResponseDueAt: string | null;
  firstResponseAt: string | null;
  /** Why the scope guard refused or flagged the request (rule id and the words that matched). */
  policyReasons: Array<{ rule: string; excerpt: string }>;
  /** An FAQ category id (src/faq/faq-topics.ts): proposed at intake from the request, changed by staff. */
  topic: string | null;
  /** The language the filer is answered in (en | es), recorded at intake; null on tickets from before. */
  language?: Language | null;
}

export interface TicketMessage {
  id: number;
  direction: 'in' | 'out';
  author: 'requester' | 'staff' | 'system';
  /** A staff note: never shown or sent to the filer. */
  internal: boolean;
  authorStaffId: number | null;
  messageId: string | null;
  bodyText: string;
  createdAt: string;
  /** Email only: the sender's address, and the sanitised HTML part (the only outside HTML staff see). */
  fromAddress?: string | null;
  htmlClean?: string | null;
  inboundMailId?: number | null;
}

export interface FaqSuggestion {
  id: string;
  title: string;
  url: string;
}

export type { CaseNumber };

/** Where a message sits in an email thread. */
export type MailThread = { inReplyTo: string | null; references: string[] };

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

import type { CaseNumber } from '../case-numbers/find-case-numbers';

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

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { ScopeRules } from '../policy/scope-guard';
import type { Channel, CreatedTicket, FaqSuggestion, MailThread, Ticket } from './ticket.types';

/** A reply from the filer: its text with private numbers masked (as stored), how and when it came. */
export interface FilerReply {
  text: string;
  at: string;
  by: 'web' | 'email';
}

/** An FAQ answer that may solve a request, with the topic (FAQ category id) it is filed under. */
export interface FaqMatch extends FaqSuggestion {
  topic: string | null;
}

/**
 * Finds FAQ answers that may already solve a request, best first, in `language` (read from the text
 * when not given); the FAQ module provides the real one. At intake the best match's topic is the
 * ticket's proposed topic.
 */
export type SuggestAnswers = (text: string, limit: number, language?: 'en' | 'es') => FaqMatch[];

/** The scope guard's outcome for a new request, as counted: refused, accepted but unsure, accepted with parts declined, accepted. */
export type ScopeOutcome = 'refuse' | 'review' | 'declined' | 'accept';

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
  /**
   * Told of each reply from the filer, inside the transaction that stores it (the text as stored, with
   * private numbers masked): the assignee's notification is queued in the same commit. Absent when mail is off.
   */
  onFilerReply?: (q: Db, ticket: Ticket, reply: FilerReply) => Promise<unknown>;
}

/** The deps every ticket use case is built from, with the clock and FAQ search filled in. */
export interface TicketServiceContext extends TicketServiceDeps {
  now: () => Date;
  suggestAnswers: SuggestAnswers;
}

export function withDefaults(deps: TicketServiceDeps): TicketServiceContext {
  return { ...deps, now: deps.now ?? (() => new Date()), suggestAnswers: deps.suggestAnswers ?? (() => []) };
}

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { ScopeRules } from '../policy/scope-guard';
import type { Channel, CreatedTicket, FaqSuggestion, MailThread } from './ticket.types';

/** Finds FAQ answers that may already solve a request; the FAQ module provides the real one. */
export type SuggestAnswers = (text: string, limit: number) => FaqSuggestion[];

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
}

/** The deps every ticket use case is built from, with the clock and FAQ search filled in. */
export interface TicketServiceContext extends TicketServiceDeps {
  now: () => Date;
  suggestAnswers: SuggestAnswers;
}

export function withDefaults(deps: TicketServiceDeps): TicketServiceContext {
  return { ...deps, now: deps.now ?? (() => new Date()), suggestAnswers: deps.suggestAnswers ?? (() => []) };
}

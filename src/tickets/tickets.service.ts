import { createRequesterActions, type TicketView } from './requester-actions';
import { createRequesterFiles } from './requester-files';
import { createRequesterReplies } from './requester-replies';
import { createTicketIntake } from './ticket-intake';
import { withDefaults, type TicketServiceDeps } from './ticket-service-deps';
import type { FaqSuggestion } from './ticket.types';

// Each use case lives in its own file; this factory wires them into the one service callers know.
export type { EmailRequest, RequestWithin } from './ticket-intake';
export type { TicketView } from './requester-actions';
export type { ScopeOutcome, SuggestAnswers, TicketServiceDeps } from './ticket-service-deps';
export type { CreatedTicket, EmailOrigin, MailThread } from './ticket.types';

/** The one intake service for help requests: web form, JSON API and email. */
export function createTicketService(deps: TicketServiceDeps) {
  const ctx = withDefaults(deps);
  const { suggestAnswers } = ctx;

  return {
    ...createTicketIntake(ctx),
    ...createRequesterReplies(ctx),
    ...createRequesterActions(ctx),
    ...createRequesterFiles(ctx),

    /** FAQ answers that may solve the request, from its subject and first message. */
    suggestionsFor(view: TicketView): FaqSuggestion[] {
      const first = view.messages.find((m) => m.direction === 'in');
      return suggestAnswers(`${view.ticket.subject} ${first?.bodyText ?? ''}`, 3, view.ticket.language ?? undefined);
    },

    /** FAQ answers for a request not yet sent (the confirmation step of the form). */
    suggestionsForDraft(subject: string, body: string): FaqSuggestion[] {
      return suggestAnswers(`${subject} ${body}`, 3);
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;

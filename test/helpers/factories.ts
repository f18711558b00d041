import type { TestApp } from './app';
import { createTicketService } from '../../src/tickets/tickets.service';
import type { NewTicketInput } from '../../src/tickets/ticket.schema';

/** A valid new-request body; override any field. */
export function ticketInput(overrides: Partial<NewTicketInput> = {}): NewTicketInput {
  return {
    name: 'Pat Filer',
    email: 'pat.filer@example.com',
    subject: 'Cannot log in to CM/ECF',
    body: 'After resetting my PACER password I get an error when I log in to file.',
    ...overrides,
  };
}

/** Stores a ticket through the same service the routes use; returns it with its private token. */
export async function buildTicket(t: TestApp, overrides: Partial<NewTicketInput> = {}) {
  const service = createTicketService({ db: t.db, profile: t.config.profile });
  return service.create(ticketInput(overrides), 'web');
}

/** The CSRF token of the first form on an HTML page. */
export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

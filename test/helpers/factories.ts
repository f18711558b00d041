import request from 'supertest';
import { createAuthService } from '../../src/staff/auth.service';
import type { Role } from '../../src/staff/roles';
import { testScopeRules, type TestApp } from './app';
import { createTicketService } from '../../src/tickets/tickets.service';
import type { NewTicketInput } from '../../src/tickets/ticket.schema';
import type { RefusalCategory } from '../../src/policy/scope-guard';
import { hashStatusToken, newStatusToken } from '../../src/tickets/status-token';
import type { Ticket } from '../../src/tickets/ticket.types';
import { findTicketById, insertNewTickets } from '../../src/tickets/tickets.repository';

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
  const service = createTicketService({ db: t.db, profile: t.config.profile, scopeRules: testScopeRules() });
  return service.create(ticketInput(overrides), 'web');
}

/** The CSRF token of the first form on an HTML page. */
export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A staff account with a known password. */
export async function buildStaff(t: TestApp, overrides: { email?: string; name?: string; role?: Role; password?: string } = {}) {
  const auth = createAuthService(t.db);
  const user = {
    email: overrides.email ?? `agent${Math.random().toString(36).slice(2, 8)}@example.gov`,
    name: overrides.name ?? 'Sam Agent',
    role: overrides.role ?? 'agent',
    password: overrides.password ?? 'a long staff passphrase',
  };
  const id = await auth.createUser(user);
  return { ...user, id };
}

/** A supertest agent signed in as `staff`. */
export async function signedInAgent(t: TestApp, staff: { email: string; password: string }) {
  const agent = request.agent(t.app);
  const page = await agent.get('/staff/sign-in');
  const res = await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email: staff.email, password: staff.password });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  return agent;
}

/**
 * A request the scope guard was unsure of: accepted, flagged `needs_review`, with the suspected kind as
 * its reason; stored through the tickets repository, as intake stores one (no acknowledgement queued).
 */
export async function buildReviewTicket(
  t: TestApp,
  options: Partial<NewTicketInput> & { category?: RefusalCategory; createdAt?: string } = {},
) {
  const { category = 'legal_advice', createdAt = new Date().toISOString(), ...overrides } = options;
  const input = ticketInput(overrides);
  const statusToken = newStatusToken();
  const reasons = [{ rule: 'model', category, excerpt: input.body.slice(0, 160), words: ['should', 'file'] }];
  const [id] = await insertNewTickets(t.db, [
    {
      referenceYear: Number(createdAt.slice(0, 4)),
      channel: 'web',
      subject: input.subject,
      requesterName: input.name,
      requesterEmail: input.email,
      requesterPhone: null,
      statusTokenHash: hashStatusToken(statusToken),
      flags: ['needs_review'],
      status: 'new',
      policyReasons: reasons,
      createdAt,
      firstResponseDueAt: createdAt,
      firstMessage: { direction: 'in', author: 'requester', messageId: null, bodyText: input.body, createdAt },
      caseNumbers: [],
      originals: {},
    },
  ]);
  return { ticket: (await findTicketById(t.db, id)) as Ticket, statusToken };
}

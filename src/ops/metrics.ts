import type { RequestHandler, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/knex';
import { TICKET_STATUSES } from '../tickets/ticket.types';
import { countInboundMail, countOutbox, countTicketsByStatus } from './metrics.repository';
import type { SharedCounters } from './shared-counters';

const INBOUND_KINDS = ['new', 'reply', 'auto_reply', 'bounce', 'own_address', 'list'];
const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed'];

/**
 * The route a request matched, as its pattern (`/requests/:token`, never the path with the token),
 * so that labels neither leak private links nor grow with every URL. Requests no route took are
 * `not_found` (404) or `other` (a redirect to sign-in, say); static files are `/static/*`.
 */
function routeOf(req: Request, res: Response): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (typeof route?.path === 'string') return `${(res.locals as { routeBase?: string }).routeBase ?? req.baseUrl}${route.path}`;
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return res.statusCode === 404 ? 'not_found' : 'other';
}

// The process's own figures (CPU, memory, event-loop delay): registered once per process, however
// many apps it builds (the tests build hundreds), since each registration watches the event loop.
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The helpdesk's Prometheus metrics, in a registry of their own. HTTP figures are this process's;
 * tickets, mail and the outbox are read from the database at scrape time, and job runs and
 * scope-guard outcomes are the shared counters every process adds to (see shared-counters.ts).
 */
export function createMetrics(deps: { db: Db; counters: SharedCounters }) {
  const { db, counters } = deps;
  const registry = new Registry();
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'helpdesk_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'helpdesk_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  new Gauge({
    name: 'helpdesk_tickets',
    help: 'Tickets by status (read from the database at scrape time)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const rows = await countTicketsByStatus(db);
      for (const status of TICKET_STATUSES) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'helpdesk_mail_intake_messages',
    help: 'Inbound mail stored, by status (received, processed, quarantined) and kind (none until processed)',
    labelNames: ['status', 'kind'] as const,
    registers,
    async collect() {
      this.reset();
      for (const kind of INBOUND_KINDS) this.set({ status: 'processed', kind }, 0);
      for (const status of ['received', 'quarantined']) this.set({ status, kind: 'none' }, 0);
      for (const r of await countInboundMail(db)) this.set({ status: r.status ?? 'none', kind: r.kind ?? 'none' }, r.n);
    },
  });
  new Gauge({
    name: 'helpdesk_outbox_messages',
    help: 'Outgoing mail in the outbox, by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const status of OUTBOX_STATUSES) this.set({ status }, 0);
      for (const r of await countOutbox(db)) this.set({ status: r.status ?? 'none' }, r.n);
    },
  });
  new Counter({
    name: 'helpdesk_job_runs_total',
    help: 'Scheduled job runs in every process, by job and outcome (ran, skipped: another holds the lease, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { labels, value } of await counters.totals('job_runs')) this.inc(labels, value);
    },
  });
  new Counter({
    name: 'helpdesk_scope_guard_outcomes_total',
    help: 'Scope-guard decisions on new requests in every process, by outcome (accept, review, declined, refuse) and channel',
    labelNames: ['outcome', 'channel'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { labels, value } of await counters.totals('scope_guard_outcomes')) this.inc(labels, value);
    },
  });

  /** Times and counts every request by its route pattern, once answered. */
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeOf(req, res);
      end({ method: req.method, route });
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  return {
    contentType: registry.contentType,
    /** The Prometheus text: this app's metrics and the process's. */
    text: () => Registry.merge([processMetrics(), registry]).metrics(),
    httpMiddleware,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

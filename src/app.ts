import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { clockTime, formatDate, formatInstant } from './calendar/describe-hours';
import type { Config } from './config';
import type { Db } from './db/knex';
import { openFaqLibrary, type FaqLibrary } from './faq/faq-library';
import { faqHandlers } from './faq/faq.routes';
import { homeHandlers } from './home/home.routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { routeTable } from './http/routes';
import { clientId, csrfProtection, publicPostLimit, securityHeaders } from './http/security';
import { logger as rootLogger, type Logger } from './logger';
import { loadStaff, STAFF_COOKIE } from './staff/auth.middleware';
import { searchIndexer } from './staff/search-index';
import { authHandlers } from './staff/auth.routes';
import { createAuthService } from './staff/auth.service';
import { staffHandlers } from './staff/staff.routes';
import { createTicketWorkService } from './tickets/ticket-work.service';
import { ticketHandlers } from './tickets/tickets.routes';
import { createTicketService, type SuggestAnswers } from './tickets/tickets.service';
import { policyHandlers } from './policy/policy.routes';
import { callbackHandlers } from './callbacks/callbacks.routes';
import { createCallbackService } from './callbacks/callbacks.service';
import { createCallbackBoard } from './callbacks/callback-board';
import { loadScopeRules, type ScopeRules } from './policy/scope-guard';

/** Where the FAQ answers live. */
export const FAQ_DIR = path.join(
  path.basename(path.dirname(__dirname)) === 'dist' ? path.join(__dirname, '..', '..') : path.join(__dirname, '..'),
  'faq-content',
);

export interface AppDeps {
  config: Config;
  db: Db;
  now?: () => Date;
  logger?: Logger;
  /** The FAQ index; opened from faq-content/ when not given (tests share one). */
  faq?: FaqLibrary;
  /** The scope guard's rules; read from policy/scope-rules.yaml when not given. */
  scopeRules?: ScopeRules;
}

const ROOT = path.join(__dirname, '..', '..');
// Compiled code runs from dist/src, sources from src: find the project root either way.
const PROJECT_ROOT = path.basename(path.dirname(__dirname)) === 'dist' ? ROOT : path.join(__dirname, '..');

/** The Express app with every route and middleware; no listen(), so tests mount it directly. */
export function createApp(deps: AppDeps): Express {
  const { config, db } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger ?? rootLogger;
  const secure = Boolean(config.env.PUBLIC_URL?.startsWith('https:'));
  const app = express();

  app.set('views', path.join(PROJECT_ROOT, 'views'));
  app.set('view engine', 'ejs');
  // Compiled templates are kept, except while developing (npm run dev), when edits show at once.
  app.set('view cache', config.env.NODE_ENV !== 'development');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  Object.assign(app.locals, {
    court: config.profile.court,
    helpdesk: config.profile.helpdesk,
    formatInstant: (iso: string) => formatInstant(iso, config.profile.timezone),
    formatDate,
    clockTime,
  });

  app.use(securityHeaders());
  app.use('/static', express.static(path.join(PROJECT_ROOT, 'public'), { maxAge: '1h' }));
  app.use(publicPostLimit(config.env.RATE_LIMIT_PER_MINUTE));

  const faq = deps.faq ?? openFaqLibrary(FAQ_DIR, config.profile, { watch: config.env.NODE_ENV === 'development', log });
  const suggestAnswers: SuggestAnswers = (text, limit) =>
    faq
      .current()
      .search(text, { mode: 'any', limit })
      .map(({ id, title, url }) => ({ id, title, url: `${url}?from=request` }));
  const scopeRules = deps.scopeRules ?? loadScopeRules();
  const indexer = searchIndexer(db, 500, (error) => log.error({ err: error }, 'search indexing failed'));
  const tickets = createTicketService({
    db,
    profile: config.profile,
    scopeRules,
    now,
    suggestAnswers,
    onMessagesStored: indexer.soon,
  });
  const auth = createAuthService(db, now);
  const work = createTicketWorkService(db, now, indexer.soon);
  const routes = routeTable({
    home: homeHandlers({ db, profile: config.profile, now }),
    faq: faqHandlers({ faq, db, now }),
    tickets: ticketHandlers(tickets, config),
    policy: policyHandlers(scopeRules),
    callbacks: callbackHandlers(createCallbackService({ db, profile: config.profile, scopeRules, now }), config),
    auth: authHandlers(auth, secure),
    staff: staffHandlers({
      db,
      work,
      auth,
      faq,
      profile: config.profile,
      scopeRules,
      board: createCallbackBoard({ db, profile: config.profile, now }),
      now,
    }),
  });
  // Health checks and as-you-type FAQ searches come often and are not logged: a search carries what
  // a filer is typing into the request form, which has no place in the logs.
  app.use(routes.unlogged);
  app.use(pinoHttp({ logger: log.child({ area: 'http' }) }));
  app.use('/api', routes.api);

  // Pages: cookies, form bodies and CSRF. The JSON API above needs none of them.
  app.use(cookieParser());
  const csrf = csrfProtection(config.sessionSecret, secure, STAFF_COOKIE);
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 50 }));
  app.use(clientId(secure), loadStaff(auth), csrf.exposeToken, csrf.protect);
  app.use(routes.pages);

  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

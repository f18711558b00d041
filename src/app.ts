import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { pinoHttp, startTime } from 'pino-http';
import { clockTime, formatDate, formatInstant } from './calendar/describe-hours';
import { faqHandlers } from './faq/faq.routes';
import { faqStaffHandlers } from './faq/faq-staff.routes';
import { homeHandlers } from './home/home.routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { routeTable } from './http/routes';
import { clientId, csrfProtection, publicPostLimit, securityHeaders } from './http/security';
import { httpLogSerializers, loggableError, requestLine, logger as rootLogger } from './logger';
import { loadStaff, STAFF_COOKIE } from './staff/auth.middleware';
import { authHandlers, signInPage } from './staff/auth.routes';
import { firstRunHandlers } from './staff/first-run.routes';
import { oidcHandlers } from './staff/oidc.routes';
import { twoStepHandlers } from './staff/two-step.routes';
import { accountHandlers } from './staff/account.routes';
import { staffHandlers } from './staff/staff.routes';
import { queueHandlers } from './staff/queue.routes';
import { ticketLabelHandlers } from './staff/ticket-labels.routes';
import { staffUserHandlers } from './staff/users.routes';
import { roleAtLeast, type Role } from './staff/roles';
import { ticketHandlers } from './tickets/tickets.routes';
import { FILE_FIELD, MAX_FILES } from './tickets/form-attachments';
import { webAttachmentLimits } from './tickets/request-pages';
import { multipartForm } from './http/multipart-form';
import { policyHandlers } from './policy/policy.routes';
import { FAQ_DIR, PROJECT_ROOT } from './paths';
import { createMetrics } from './ops/metrics';
import { opsHandlers } from './ops/ops.routes';
import { flagLabel } from './tickets/flag-labels';
import { createServices, publicBaseUrl, type ServiceDeps, type Services } from './services';
import { callbackHandlers } from './callbacks/callbacks.routes';
import { staffMailHandlers } from './mail/staff-mail.routes';
import { outageReportHandlers } from './status/outage-reports.routes';
import { staffStatusHandlers } from './status/staff-status.routes';
import { statusHandlers } from './status/status.routes';
import { auditHandlers } from './audit/audit.routes';
import { legalHoldHandlers } from './retention/legal-hold.routes';
import { createReportExport } from './reports/report-export';
import { reportsHandlers } from './reports/reports.routes';
import { createReports } from './reports/reports.service';
import { translator } from './i18n/i18n';
import { pageLanguage } from './i18n/page-language';

export { FAQ_DIR };

/** What the app is built from: the services' own deps, or services already wired. */
export interface AppDeps extends ServiceDeps {
  /** Services already wired (the server shares them with its mail roles); built from the rest when absent. */
  services?: Services;
}

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
    officialBanner: config.profile.officialBanner,
    formatInstant: (iso: string) => formatInstant(iso, config.profile.timezone),
    formatDate,
    clockTime,
    flagLabel,
    // Pages show a control only to those whose role allows it: `hasRole(staff, 'supervisor')`.
    hasRole: (staff: { role?: Role } | undefined, min: Role) => roleAtLeast(staff?.role, min),
    // English until pageLanguage has run (a page rendered for an error before it, or a staff page).
    lang: 'en',
    t: translator('en'),
    languageSwitch: [],
  });

  const services = deps.services ?? createServices({ ...deps, now, logger: log });
  // First, so that every request is counted and timed, static files and refusals included.
  const metrics = createMetrics({ db, counters: services.ops.counters });
  app.use(metrics.httpMiddleware);
  app.use(securityHeaders());
  app.use('/static', express.static(path.join(PROJECT_ROOT, 'public'), { maxAge: '1h' }));
  // Browsers and feed readers ask for /favicon.ico whatever the page links to.
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(PROJECT_ROOT, 'public', 'favicon.ico'), { maxAge: '1d' }));
  app.use(publicPostLimit(config.env.RATE_LIMIT_PER_MINUTE, db));

  const { faq, scopeRules, tickets, auth, work } = services;
  // Pages say what really happens to email: with no relay configured nothing is sent, and staff see why.
  app.locals.mailSending = services.mail.outbox !== null;
  const status = statusHandlers({ outages: services.outages, config, now, log });
  const signInChoices = {
    passwordSignIn: config.env.STAFF_PASSWORD_SIGNIN,
    singleSignOn: services.sso !== null,
    timezone: config.profile.timezone,
  };
  const routes = routeTable({
    home: homeHandlers({ db, profile: config.profile, now }),
    audit: auditHandlers({ audit: services.audit, timezone: config.profile.timezone }),
    legalHolds: legalHoldHandlers(services.legalHolds),
    reports: reportsHandlers({
      reports: createReports({ db, profile: config.profile, now, flushFaqUsage: () => services.faqUsage.flush() }),
      exportLines: createReportExport({ db, profile: config.profile, now }),
      timezone: config.profile.timezone,
      now,
    }),
    faq: faqHandlers({ faq, usage: services.faqUsage, db, now }),
    faqStaff: faqStaffHandlers({ db, authoring: services.faqAuthoring, usage: services.faqUsage, profile: config.profile, now }),
    tickets: ticketHandlers(tickets, config, { upcomingCallbacks: (id) => services.callbacks.upcomingForTicket(id), now }),
    policy: policyHandlers(scopeRules),
    callbacks: callbackHandlers(services.callbacks, config),
    staffMail: staffMailHandlers({ db, intake: services.mail.intake, audit: services.audit }),
    status,
    staffStatus: staffStatusHandlers({ outages: services.outages, auth, timezone: config.profile.timezone }),
    outageReports: outageReportHandlers({ reports: services.outageReports, outages: services.outages, config, now }),
    ops: opsHandlers({ db, config, mailHealth: services.ops.mailHealth, metrics }),
    auth: authHandlers(auth, secure, services.firstRun, signInChoices),
    twoStep: twoStepHandlers({ twoStep: services.twoStep, auth, secure, timezone: config.profile.timezone }),
    oidc: oidcHandlers({ sso: services.sso, secure, publicUrl: config.env.PUBLIC_URL, render: signInPage(signInChoices) }),
    firstRun: firstRunHandlers(services.firstRun, auth, secure),
    account: accountHandlers({ accounts: services.accounts }),
    users: staffUserHandlers({ auth, accounts: services.accounts }),
    staff: staffHandlers({
      db,
      work,
      faq,
      profile: config.profile,
      scopeRules,
      board: services.board,
      now,
      audit: services.audit,
      publicUrl: publicBaseUrl(config),
    }),
    queue: queueHandlers({
      db,
      now,
      profile: config.profile,
      audit: services.audit,
      outageReportGroups: (fresh) => services.outageReports.groups(fresh),
    }),
    ticketLabels: ticketLabelHandlers({ db, now, work }),
  });
  // Health checks and as-you-type FAQ searches come often and are not logged: a search carries what
  // a filer is typing into the request form, which has no place in the logs.
  app.use(routes.unlogged);
  // Request logs are written at info; when the level is higher there is nothing to log, so skip the work.
  // Whatever logger is passed in, a request is logged as method, path without tokens, and status.
  if (log.isLevelEnabled('info'))
    app.use(
      pinoHttp({
        logger: log.child({ area: 'http' }),
        wrapSerializers: false,
        serializers: httpLogSerializers,
        customSuccessMessage: requestLine,
        customErrorMessage: (req, res) => requestLine(req, res, Date.now() - res[startTime]),
      }),
    );
  app.use('/api', routes.api);

  // Pages: cookies, form bodies and CSRF. The JSON API above needs none of them.
  app.use(cookieParser());
  // Public pages speak the filer's language (SPEC §14); staff pages ignore it and stay in English.
  app.use(pageLanguage(secure));
  const csrf = csrfProtection(config.sessionSecret, secure, STAFF_COOKIE);
  // The FAQ editor takes a larger form, so that a pasted book gets a sentence beside the field, not a bare refusal.
  app.use('/staff/faq', express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 50 }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 50 }));
  // The request form and status-page replies may carry files (SPEC §15): read here, before the CSRF
  // check, which then finds the form's _csrf field as in any other form.
  app.use(
    ['/help', '/requests/:token/replies'],
    multipartForm({
      fileField: FILE_FIELD,
      maxFiles: MAX_FILES,
      maxFileBytes: webAttachmentLimits(config).maxBytes,
      keepFiles: csrf.validRequest,
    }),
  );
  app.use(clientId(secure), loadStaff(auth), csrf.exposeToken, csrf.protect);
  // While an outage or maintenance is on, every public page shows a banner (views/partials/status-banner.ejs).
  app.use(status.banner);
  app.use(routes.pages);

  app.use(notFoundHandler);
  // Whatever logger the app is given, errors reach it through loggableError (no request bodies).
  app.use(errorHandler(log.child({}, { serializers: { err: loggableError } })));
  return app;
}

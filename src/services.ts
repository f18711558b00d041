import { createAuditService } from './audit/audit.service';
import { createCallbackBoard } from './callbacks/callback-board';
import { createCallbackMail } from './callbacks/callback-mail';
import { createCallbackService } from './callbacks/callbacks.service';
import type { Config } from './config';
import type { Db } from './db/knex';
import { createFaqAuthoring } from './faq/faq-authoring';
import { openFaqLibrary, type FaqLibrary } from './faq/faq-library';
import { topicOfCategory } from './faq/faq-topics';
import { seedFromFolder } from './faq/faq-transfer';
import { detectLanguage } from './policy/detect-language';
import { createFaqUsage } from './faq/faq-usage';
import { logger as rootLogger, type Logger } from './logger';
import { DEFAULT_ATTACHMENT_LIMITS } from './mail/inbound/attachment-policy';
import { createMailIntake } from './mail/inbound/mail-intake.service';
import type { MailReader } from './mail/inbound/mail-reader';
import { mailReaderFor, ownAddressesOf, smtpSettings } from './mail/mail-settings';
import { createMailSender, smtpTransport } from './mail/outbound/mail-sender';
import { createOutbox } from './mail/outbound/outbox.service';
import { createTicketMail } from './mail/outbound/ticket-mail';
import { createMailHealth } from './ops/mail-health';
import { createSharedCounters } from './ops/shared-counters';
import { createLegalHolds } from './retention/legal-holds.service';
import { createRetentionService } from './retention/retention.service';
import { FAQ_DIR } from './paths';
import { loadScopeRules, type ScopeRules } from './policy/scope-guard';
import { createFirstRunSetup } from './staff/first-run';
import { createAccountService } from './staff/accounts.service';
import { createAuthService } from './staff/auth.service';
import { createSingleSignOn } from './staff/oidc.service';
import { createStaffNotifications } from './staff/staff-notifications';
import { createTwoStepService } from './staff/two-step.service';
import { outageNoticesWithin } from './status/outage-notices';
import { createOutageReceiptMail } from './status/outage-receipt-mail';
import { createOutageReportService } from './status/outage-reports.service';
import { createOutageService } from './status/outages.service';
import { createTicketWorkService } from './tickets/ticket-work.service';
import { createTicketService, type SuggestAnswers } from './tickets/tickets.service';

export interface ServiceDeps {
  config: Config;
  db: Db;
  now?: () => Date;
  logger?: Logger;
  /** The FAQ index; read from the database when not given (filled from faq-content/ on the first start). */
  faq?: FaqLibrary;
  /** The scope guard's rules; read from policy/scope-rules.yaml when not given. */
  scopeRules?: ScopeRules;
  /** Reads inbound mail; a worker thread (see mailReaderFor) when not given. */
  mailReader?: MailReader;
  /** How long answering all reports of an outage waits before going on in the background (tests shorten it). */
  outageAnswerWaitMs?: number;
}

/** The base of links in mail and API answers: PUBLIC_URL, else the local server. */
export function publicBaseUrl(config: Config): string {
  return config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${config.env.PORT}`;
}

/**
 * Every service of the helpdesk, wired once: the web app, the server's background roles and the
 * command line all use the same ones, so a rule lives in one place whichever way a request comes.
 */
export function createServices(deps: ServiceDeps) {
  const { config, db } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger ?? rootLogger;
  const profile = config.profile;
  const faq =
    deps.faq ?? openFaqLibrary({ db, profile, log, prepare: async () => void (await seedFromFolder(db, FAQ_DIR, now)) });
  // Answers in the request's language (SPEC §14): the ticket's when known, else read from the text;
  // a Spanish answer's link opens its page in Spanish.
  const suggestAnswers: SuggestAnswers = (text, limit, language = detectLanguage(text)) =>
    faq
      .current(language)
      .search(text, { mode: 'any', limit })
      .map(({ id, title, url, category }) => ({
        id,
        title,
        url: `${url}?${language === 'es' ? 'lang=es&' : ''}from=request`,
        topic: topicOfCategory(category),
      }));
  const scopeRules = deps.scopeRules ?? loadScopeRules();
  const counters = createSharedCounters({ db, log, now });
  const faqUsage = createFaqUsage({
    db,
    timezone: profile.timezone,
    secure: Boolean(config.env.PUBLIC_URL?.startsWith('https:')),
    now,
    log,
  });
  // The audit log (SPEC §12): every service that records in it gets this one.
  const audit = createAuditService(db, now);

  // Outgoing mail is queued whenever the helpdesk has an address (MAIL_FROM) and a relay (SMTP_HOST).
  const smtp = smtpSettings(config);
  const mailFrom = config.env.MAIL_FROM;
  const outbox = smtp && mailFrom ? createOutbox({ mailFrom, now }) : null;
  const ticketMail = outbox
    ? createTicketMail({
        outbox,
        profile,
        baseUrl: publicBaseUrl(config),
        outageNotices: (q, language) => outageNoticesWithin(q, profile.timezone, language),
      })
    : undefined;
  const callbackMail = outbox ? createCallbackMail({ outbox, profile, baseUrl: publicBaseUrl(config) }) : undefined;
  // Staff hear of filers' replies to their tickets (and get a daily summary, src/jobs/daily-summaries.ts).
  const staffNotifications = outbox ? createStaffNotifications({ outbox, profile, baseUrl: publicBaseUrl(config) }) : undefined;
  const sender =
    smtp && mailFrom
      ? createMailSender({
          db,
          transport: smtpTransport(smtp),
          from: { name: `${profile.court.name} CM/ECF Helpdesk`, address: mailFrom },
          now,
          log: log.child({ area: 'mail' }),
        })
      : null;

  const tickets = createTicketService({
    db,
    profile,
    scopeRules,
    now,
    suggestAnswers,
    acknowledge: ticketMail?.acknowledgeMany,
    onAcknowledgeError: (error, reference) => log.error({ err: error, reference }, 'acknowledgement could not be queued'),
    onDecided: (outcome, channel) => counters.inc('scope_guard_outcomes', { outcome, channel }),
    onFilerReply: staffNotifications?.filerReplied,
  });
  const reader = deps.mailReader ?? mailReaderFor(config, scopeRules);
  const staffReplyMail =
    outbox && ticketMail
      ? { newMessageId: outbox.newMessageId, staffReply: ticketMail.staffReply, refusal: ticketMail.refusal }
      : undefined;
  const work = createTicketWorkService(db, profile, now, staffReplyMail, audit);
  const outages = createOutageService({ db, timezone: profile.timezone, now, audit });

  return {
    faq,
    /** Staff keep the FAQ: drafts, publication, history, restore, synonyms (/staff/faq). */
    faqAuthoring: createFaqAuthoring({ db, library: faq, profile, now, audit }),
    /** What filers search for and read in the FAQ, counted per day for /staff/faq. */
    faqUsage,
    scopeRules,
    tickets,
    auth: createAuthService(db, now, {
      staffMfa: config.env.STAFF_MFA,
      passwordSignIn: config.env.STAFF_PASSWORD_SIGNIN,
      audit,
    }),
    /** Two-step sign-in: TOTP and recovery codes (secrets encrypted with a key from SESSION_SECRET). */
    twoStep: createTwoStepService({
      db,
      now,
      audit,
      sessionSecret: config.sessionSecret,
      issuer: `ECF Helpdesk (${profile.court.id.toUpperCase()})`,
    }),
    /** Single sign-on with the court's OpenID provider, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
    sso:
      config.env.OIDC_ISSUER && config.env.OIDC_CLIENT_ID && config.env.OIDC_CLIENT_SECRET
        ? createSingleSignOn({
            db,
            now,
            audit,
            issuer: config.env.OIDC_ISSUER,
            clientId: config.env.OIDC_CLIENT_ID,
            clientSecret: config.env.OIDC_CLIENT_SECRET,
          })
        : null,
    /** Staff accounts after sign-in: own password and sessions; administrators' changes to accounts. */
    accounts: createAccountService({ db, now, audit }),
    /** The audit log: record(), list() for /staff/audit, entriesSince() for audit:export. */
    audit,
    /** Retention of records (the court profile's periods) and the legal holds that stop it. */
    retention: createRetentionService({ db, periods: profile.retention, audit, now }),
    legalHolds: createLegalHolds({ db, audit, now }),
    /** First-run set-up: the one-time link that creates the first administrator. */
    firstRun: createFirstRunSetup(db, now, audit),
    work,
    callbacks: createCallbackService({ db, profile, scopeRules, now, mail: callbackMail }),
    board: createCallbackBoard({ db, profile, now, mail: callbackMail }),
    /** Outages: declared by staff, shown on /status and in the banner of every public page. */
    outages,
    /** Filers' reports of outages: stored as tickets with a receipt, grouped for staff, answered all at once. */
    outageReports: createOutageReportService({
      db,
      profile,
      tickets,
      outages,
      work,
      receiptMail: outbox ? createOutageReceiptMail({ outbox, profile, baseUrl: publicBaseUrl(config) }) : undefined,
      now,
      log,
      answerWaitMs: deps.outageAnswerWaitMs,
    }),
    mail: {
      outbox,
      ticketMail,
      callbackMail,
      sender,
      intake: createMailIntake({
        db,
        tickets,
        scopeRules,
        ticketMail,
        ownAddresses: ownAddressesOf(config),
        reader,
        attachmentLimits: { ...DEFAULT_ATTACHMENT_LIMITS, maxBytes: Math.round(config.env.MAIL_ATTACHMENT_MAX_MB * 1024 * 1024) },
        now,
        log: log.child({ area: 'mail' }),
      }),
    },
    /** What operations read: counters every process adds to (GET /metrics), and mail intake's health (GET /readyz). */
    ops: { counters, mailHealth: createMailHealth() },
    /** Before the database closes: stops what runs in the background (the mail reader), saves the counters, lets go of SMTP and the FAQ. */
    async close(): Promise<void> {
      await counters.close();
      await faqUsage.close();
      await reader.close();
      sender?.close();
      faq.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

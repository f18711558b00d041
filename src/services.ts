import { createCallbackBoard } from './callbacks/callback-board';
import { createCallbackMail } from './callbacks/callback-mail';
import { createCallbackService } from './callbacks/callbacks.service';
import type { Config } from './config';
import type { Db } from './db/knex';
import { lazyFaqLibrary, openFaqLibrary, type FaqLibrary } from './faq/faq-library';
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
import { FAQ_DIR } from './paths';
import { loadScopeRules, type ScopeRules } from './policy/scope-guard';
import { createFirstRunSetup } from './staff/first-run';
import { createAuthService } from './staff/auth.service';
import { createTicketWorkService } from './tickets/ticket-work.service';
import { createTicketService, type SuggestAnswers } from './tickets/tickets.service';

export interface ServiceDeps {
  config: Config;
  db: Db;
  now?: () => Date;
  logger?: Logger;
  /** The FAQ index; opened from faq-content/ when not given (tests share one). */
  faq?: FaqLibrary;
  /** The scope guard's rules; read from policy/scope-rules.yaml when not given. */
  scopeRules?: ScopeRules;
  /** Reads inbound mail; a worker thread (see mailReaderFor) when not given. */
  mailReader?: MailReader;
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
    deps.faq ?? lazyFaqLibrary(() => openFaqLibrary(FAQ_DIR, profile, { watch: config.env.NODE_ENV === 'development', log }));
  const suggestAnswers: SuggestAnswers = (text, limit) =>
    faq
      .current()
      .search(text, { mode: 'any', limit })
      .map(({ id, title, url }) => ({ id, title, url: `${url}?from=request` }));
  const scopeRules = deps.scopeRules ?? loadScopeRules();
  const counters = createSharedCounters({ db, log, now });

  // Outgoing mail is queued whenever the helpdesk has an address (MAIL_FROM) and a relay (SMTP_HOST).
  const smtp = smtpSettings(config);
  const mailFrom = config.env.MAIL_FROM;
  const outbox = smtp && mailFrom ? createOutbox({ mailFrom, now }) : null;
  const ticketMail = outbox ? createTicketMail({ outbox, profile, baseUrl: publicBaseUrl(config) }) : undefined;
  const callbackMail = outbox ? createCallbackMail({ outbox, profile, baseUrl: publicBaseUrl(config) }) : undefined;
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
  });
  const reader = deps.mailReader ?? mailReaderFor(config, scopeRules);
  const staffReplyMail =
    outbox && ticketMail
      ? { newMessageId: outbox.newMessageId, staffReply: ticketMail.staffReply, refusal: ticketMail.refusal }
      : undefined;

  return {
    faq,
    scopeRules,
    tickets,
    auth: createAuthService(db, now),
    /** First-run set-up: the one-time link that creates the first administrator. */
    firstRun: createFirstRunSetup(db, now),
    work: createTicketWorkService(db, now, staffReplyMail),
    callbacks: createCallbackService({ db, profile, scopeRules, now, mail: callbackMail }),
    board: createCallbackBoard({ db, profile, now, mail: callbackMail }),
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
      await reader.close();
      sender?.close();
      faq.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

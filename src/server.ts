// First: .env is read before any module looks at the environment (the logger reads LOG_LEVEL).
import { envFileRead } from './config/env-file';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, hasRole, loadConfig } from './config';
import { migrateLatest, openDatabase } from './db/knex';
import { startJobs } from './jobs/job-runner';
import { logger } from './logger';
import { startMailRoles } from './mail/mail-roles';
import { shutDown, type Stoppable } from './ops/graceful-shutdown';
import { startLine } from './ops/start-line';
import { warmUpIntake } from './policy/intake-policy';
import { createServices } from './services';

/**
 * Starts the helpdesk: validates configuration, opens the database, migrates, then runs this
 * process's roles (HELPDESK_ROLES): web listens, mail reads the mailbox and sends the outbox, jobs
 * runs the schedule. SIGTERM (or SIGINT) stops it gracefully.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const db = openDatabase(config.env.DATABASE_URL);
  await migrateLatest(db);
  const services = createServices({ config, db });
  const roles = config.env.HELPDESK_ROLES;
  logger.info({ roles, court: config.profile.court.id }, startLine(config, envFileRead));

  // Every role reads the FAQ (web pages, acknowledgements): an empty database is filled from
  // faq-content/ on its first start, and the index is built now rather than on the first search.
  await services.faq.fresh();

  let server: Server | null = null;
  if (hasRole(config, 'web')) {
    // The first request should not wait for the intake policy's regular expressions to compile (the
    // mail reader's worker warms its own copy).
    warmUpIntake(services.scopeRules);
    const app = createApp({ config, db, services });
    const port = config.env.PORT;
    const listening = app.listen(port, () => {
      const address = listening.address();
      const base = config.env.PUBLIC_URL ?? `http://localhost:${typeof address === 'object' && address ? address.port : port}`;
      logger.info({ port }, `ECF Helpdesk listening on ${base.replace(/\/$/, '')}`);
      void offerFirstRunSetup(services, base);
    });
    server = listening;
  }
  const background: Stoppable[] = [];
  if (hasRole(config, 'mail')) background.push(startMailRoles(services, config, db, logger.child({ area: 'mail' })));
  if (hasRole(config, 'jobs')) background.push(startJobs({ db, config, services }, logger.child({ area: 'jobs' })));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the work under way');
    void shutDown({
      server,
      background,
      close: async () => {
        await services.close();
        await db.destroy();
      },
      log: logger,
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * While no staff account exists, a one-time link to create the first administrator. It is printed in
 * the log on purpose (the person starting the server is the one who sets it up); it works once, for an
 * hour, and creating the account uses up every such link.
 */
async function offerFirstRunSetup(services: ReturnType<typeof createServices>, base: string): Promise<void> {
  try {
    const issued = await services.firstRun.issueToken();
    if (!issued) return;
    logger.warn(
      `First-run set-up: no staff account exists yet. To create the first administrator, open ${base.replace(/\/$/, '')}/staff/setup/${issued.token} (it works once, within the hour; restart the server for a new link).`,
    );
  } catch (error) {
    logger.error({ err: error }, 'could not make a first-run set-up link');
  }
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'failed to start');
  process.exit(1);
});

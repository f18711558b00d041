import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, hasRole, loadConfig } from './config';
import { migrateLatest, openDatabase } from './db/knex';
import { startJobs } from './jobs/job-runner';
import { logger } from './logger';
import { startMailRoles } from './mail/mail-roles';
import { shutDown, type Stoppable } from './ops/graceful-shutdown';
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
  logger.info({ roles }, `roles: ${roles.join(', ')}`);

  let server: Server | null = null;
  if (hasRole(config, 'web')) {
    // Built now, not on the first search: a filer's first query should not wait for the index, nor the
    // first request for the intake policy's regular expressions to compile (the mail reader's worker
    // warms its own copy).
    services.faq.current();
    warmUpIntake(services.scopeRules);
    const app = createApp({ config, db, services });
    const port = config.env.PORT;
    server = app.listen(port, () => {
      logger.info({ port, court: config.profile.court.id }, `ECF Helpdesk listening on http://localhost:${port}`);
    });
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

main().catch((error: unknown) => {
  logger.error({ err: error }, 'failed to start');
  process.exit(1);
});

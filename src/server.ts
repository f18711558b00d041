import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { migrateLatest, openDatabase } from './db/knex';
import { startJobs } from './jobs/job-runner';
import { logger } from './logger';
import { startMailRoles } from './mail/mail-roles';
import { warmUpIntake } from './policy/intake-policy';
import { createServices } from './services';

/** Starts the helpdesk: validates configuration, opens the database, migrates, listens, runs mail roles. */
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
  // Built now, not on the first search: a filer's first query should not wait for the index, nor the
  // first request for the intake policy's regular expressions to compile (the mail reader's worker
  // warms its own copy).
  services.faq.current();
  warmUpIntake(services.scopeRules);
  const app = createApp({ config, db, services });
  const server = app.listen(config.env.PORT, () => {
    logger.info(
      { port: config.env.PORT, court: config.profile.court.id },
      `ECF Helpdesk listening on http://localhost:${config.env.PORT}`,
    );
  });
  const mail = startMailRoles(services, config, db, logger.child({ area: 'mail' }));
  const jobs = startJobs({ db, config, services }, logger.child({ area: 'jobs' }));
  const stop = () => {
    logger.info('shutting down');
    server.close(
      () =>
        void Promise.all([jobs.stop(), mail.stop()])
          .then(() => services.close())
          .then(() => db.destroy().then(() => process.exit(0))),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'failed to start');
  process.exit(1);
});

// Loaded by mocha before any test file: quiet logs, test mode.
import { closeTestDatabases } from './postgres';

process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.NODE_ENV = 'test';

/** Root hooks (mocha reads them from a required file): the PostgreSQL template goes at the end of the run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeTestDatabases();
  },
};

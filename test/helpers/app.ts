import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp, FAQ_DIR, type AppDeps } from '../../src/app';
import { loadFaqAnswers } from '../../src/faq/faq-content';
import { fixedFaqLibrary, type FaqLibrary } from '../../src/faq/faq-library';
import { createFaqSearch } from '../../src/faq/faq-search';
import { loadScopeRules, type ScopeRules } from '../../src/policy/scope-guard';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase, type Db } from '../../src/db/knex';
import { createServices, type ServiceDeps, type Services } from '../../src/services';
import { createTestDatabase } from './postgres';

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  /** The services behind the app (mail intake, outbox sender…), for tests that drive them directly. */
  services: Services;
  dir: string;
  close(): Promise<void>;
}

const sharedFaq = new Map<string, FaqLibrary>();

/**
 * An index of faq-content/ as files, built once per court profile, for a test that needs an FAQ
 * without a database of its own. A test app reads its FAQ from its database (buildTestApp).
 */
export function testFaqLibrary(config: Config): FaqLibrary {
  const key = JSON.stringify(config.profile);
  let library = sharedFaq.get(key);
  if (!library) {
    library = fixedFaqLibrary(createFaqSearch(loadFaqAnswers(FAQ_DIR, config.profile)));
    sharedFaq.set(key, library);
  }
  return library;
}

let sharedRules: ScopeRules | undefined;

/** The scope guard's rules, read once for the whole test run. */
export function testScopeRules(): ScopeRules {
  sharedRules ??= loadScopeRules();
  return sharedRules;
}

/** A real app on a fresh migrated database: an SQLite file in a temporary folder, or a PostgreSQL database with TEST_DATABASE=postgres. */
export async function buildTestApp(
  options: {
    env?: Record<string, string>;
    now?: () => Date;
    deps?: Partial<AppDeps>;
    /** Settings of the services a test changes (a shorter wait, for one). */
    serviceDeps?: Pick<ServiceDeps, 'outageAnswerWaitMs'>;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-test-'));
  const database = await createTestDatabase(dir);
  const config = loadConfig({
    DATABASE_URL: database.url,
    RATE_LIMIT_PER_MINUTE: '10000',
    // Most tests sign staff in with a password alone; a test of two-step sign-in passes STAFF_MFA=required.
    // The product's own default stays `required`.
    STAFF_MFA: 'optional',
    ...options.env,
  });
  const db = openDatabase(config.env.DATABASE_URL);
  const services = createServices({
    config,
    db,
    now: options.now,
    scopeRules: testScopeRules(),
    logger: options.deps?.logger, // a test that reads the log gets the services' lines too
    ...options.serviceDeps,
  });
  // As the server does at start: faq-content/ fills the new database, and the index is built.
  await services.faq.fresh();
  const app = createApp({
    config,
    db,
    now: options.now,
    scopeRules: testScopeRules(),
    services,
    ...options.deps,
  });
  return {
    app,
    db,
    config,
    services,
    dir,
    async close() {
      await services.close();
      await db.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

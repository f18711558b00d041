import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { migrateLatest, openDatabase, type Db } from '../../src/db/knex';

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

/** A real app on a fresh SQLite file in a temporary folder, migrated. */
export async function buildTestApp(
  options: { env?: Record<string, string>; now?: () => Date; deps?: Partial<AppDeps> } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-test-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite://${path.join(dir, 'test.sqlite3')}`,
    RATE_LIMIT_PER_MINUTE: '10000',
    ...options.env,
  });
  const db = openDatabase(config.env.DATABASE_URL);
  await migrateLatest(db);
  const app = createApp({ config, db, now: options.now, ...options.deps });
  return {
    app,
    db,
    config,
    dir,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { loadConfig, type Config } from '../config';
import type { Db } from '../db/knex';

/**
 * Runs a command's work with the database open, and closes it after whatever happens. The
 * configuration is read here unless the command has read it already; knex is loaded only now.
 */
export async function withDatabase(
  work: (db: Db, config: Config) => Promise<number>,
  config: Config = loadConfig(),
): Promise<number> {
  // require, not import(): under tsx's CommonJS hook only require() compiles TypeScript.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openDatabase } = require('../db/knex') as typeof import('../db/knex');
  const db = openDatabase(config.env.DATABASE_URL);
  try {
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

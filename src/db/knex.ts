import { readdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { dialectForUrl, dialectOf } from './dialect';

export type Db = Knex;

// Migrations run from the source tree under tsx (.ts) and from dist/ after a build (.js). Their names
// are recorded without the extension, so a database migrated by one is up to date for the other.
const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');
const MIGRATION_EXT = path.extname(__filename) === '.js' ? '.js' : '.ts';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(MIGRATIONS_DIR)
      .filter((file) => file.endsWith(MIGRATION_EXT) && !file.endsWith('.d.ts'))
      .map((file) => file.slice(0, -MIGRATION_EXT.length))
      .sort();
  },
  getMigrationName: (name) => name,
  async getMigration(name) {
    // require, not import(): under tsx's CommonJS hook only require() compiles TypeScript.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(MIGRATIONS_DIR, `${name}${MIGRATION_EXT}`)) as MigrationModule;
  },
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

// A failed query's error names its SQL with `?` placeholders, not the values: those are what people
// wrote (raw mail included), and errors end up in the log.
const compileSqlOnError = false;

/** Opens the database named by DATABASE_URL: SQLite (WAL, foreign keys on) or PostgreSQL. */
export function openDatabase(databaseUrl: string): Db {
  return knexFactory({ ...dialectForUrl(databaseUrl).knexConfig(databaseUrl), migrations: migrationConfig, compileSqlOnError });
}

/** Rows whose foreign key points at nothing, by table (SQLite; reads every table). */
async function danglingRows(db: Db): Promise<Map<string, number>> {
  const rows = (await db.raw('PRAGMA foreign_key_check')) as Array<{ table: string }>;
  const byTable = new Map<string, number>();
  for (const row of rows) byTable.set(row.table, (byTable.get(row.table) ?? 0) + 1);
  return byTable;
}

/**
 * Runs schema changes with SQLite's foreign keys off. knex changes or drops a column by rebuilding
 * the table: a copy, then DROP TABLE of the original, which with foreign keys on deletes by cascade
 * every row pointing at it (rolling back past the mail migration deleted the private originals of
 * messages). knex's own attempt to turn them off comes inside the migration's transaction, where
 * SQLite ignores it; here it comes first, on the one connection the migrations then use. A change
 * that leaves rows pointing at nothing, which foreign keys would have refused, is reported. Nothing
 * to do, nothing checked: the check reads every table.
 */
async function withoutCascades(
  db: Db,
  hasWork: () => Promise<boolean>,
  change: () => Promise<[number, string[]]>,
): Promise<[number, string[]]> {
  if (dialectOf(db).name !== 'sqlite' || !(await hasWork())) return change();
  const before = await danglingRows(db);
  await db.raw('PRAGMA foreign_keys = OFF');
  let result: [number, string[]];
  try {
    result = await change();
  } finally {
    await db.raw('PRAGMA foreign_keys = ON');
  }
  const added = [...(await danglingRows(db))].filter(([table, count]) => count > (before.get(table) ?? 0));
  if (added.length > 0)
    throw new Error(
      `${result[1].join(', ')} left rows pointing at rows that do not exist: ${added.map(([table, count]) => `${table} (${count - (before.get(table) ?? 0)})`).join(', ')}.`,
    );
  return result;
}

const migrationLists = async (db: Db) => (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];

/** Applies every pending migration; returns the batch number and the migrations applied. */
export async function migrateLatest(db: Db): Promise<[number, string[]]> {
  return withoutCascades(
    db,
    async () => (await migrationLists(db))[1].length > 0,
    async () => (await db.migrate.latest(migrationConfig)) as [number, string[]],
  );
}

/** Undoes the last batch of migrations (all of them with `all`); returns the batch and the migrations undone. */
export async function migrateRollback(db: Db, all = false): Promise<[number, string[]]> {
  return withoutCascades(
    db,
    async () => (await migrationLists(db))[0].length > 0,
    async () => (await db.migrate.rollback(migrationConfig, all)) as [number, string[]],
  );
}

/** True when the database answers a trivial query. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

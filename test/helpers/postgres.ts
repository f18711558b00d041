import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrateLatest, openDatabase } from '../../src/db/knex';

/** Which database the tests run on: SQLite files by default, PostgreSQL with TEST_DATABASE=postgres. */
export const testDatabase: 'sqlite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A database made for one test app or one command-line test, and how to get rid of it. */
export interface TestDatabase {
  /** What DATABASE_URL is set to for the app or the command under test. */
  url: string;
  /** Drops the PostgreSQL database (its connections are closed first); nothing on SQLite, whose file goes with its folder. */
  drop(): Promise<void>;
}

// Names are unique to this process, so that two runs against one cluster keep out of each other's way.
const prefix = `helpdesk_test_${process.pid}`;
const templateName = `${prefix}_template`;
let counter = 0;
let admin: Knex | undefined;
let template: Promise<void> | undefined;

function clusterUrl(): URL {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url)
    throw new Error(
      'TEST_DATABASE=postgres needs TEST_POSTGRES_URL (postgres://user:password@host:port/db of a role that may create databases); npm run test:postgres starts a private cluster and sets it.',
    );
  return new URL(url);
}

function databaseUrl(name: string): string {
  const url = clusterUrl();
  url.pathname = `/${name}`;
  return url.toString();
}

/** One connection to the cluster's own database, for creating and dropping the tests' databases. */
function adminDb(): Knex {
  admin ??= knexFactory({ client: 'pg', connection: clusterUrl().toString(), pool: { min: 0, max: 1 } });
  return admin;
}

/** Migrates a template database once per run; every migrated test database is a copy of it. */
function migratedTemplate(): Promise<void> {
  template ??= (async () => {
    await adminDb().raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [templateName]);
    await adminDb().raw('CREATE DATABASE ??', [templateName]);
    const db = openDatabase(databaseUrl(templateName));
    try {
      await migrateLatest(db);
    } finally {
      // A template must have no connections while it is copied.
      await db.destroy();
    }
  })();
  return template;
}

/**
 * A fresh database for one test: on SQLite a file in `dir`; on PostgreSQL a new database in the
 * cluster named by TEST_POSTGRES_URL, a copy of the migrated template (`migrated`, the default) or
 * empty (for tests of the migrations themselves).
 */
export async function createTestDatabase(dir: string, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (testDatabase === 'sqlite') {
    const url = `sqlite://${path.join(dir, 'test.sqlite3')}`;
    if (migrated) {
      const db = openDatabase(url);
      try {
        await migrateLatest(db);
      } finally {
        await db.destroy();
      }
    }
    return { url, drop: async () => {} };
  }
  if (migrated) await migratedTemplate();
  const name = `${prefix}_${++counter}`;
  if (migrated) await adminDb().raw('CREATE DATABASE ?? TEMPLATE ??', [name, templateName]);
  else await adminDb().raw('CREATE DATABASE ??', [name]);
  return {
    url: databaseUrl(name),
    drop: async () => {
      await adminDb().raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    },
  };
}

/**
 * A DATABASE_URL that names a database which cannot be opened, and the error that says so: on
 * SQLite a file that is not a database, on PostgreSQL a database that does not exist.
 */
export function unopenableDatabase(dir: string, writeFile: (file: string, text: string) => void): { url: string; error: RegExp } {
  if (testDatabase === 'sqlite') {
    const file = path.join(dir, 'not-a-database.sqlite3');
    writeFile(file, 'This is a text file, not an SQLite database.\n'.repeat(20));
    return { url: `sqlite://${file}`, error: /SQLITE_NOTADB/ };
  }
  return { url: databaseUrl(`${prefix}_missing`), error: new RegExp(`database "${prefix}_missing" does not exist`) };
}

/**
 * At the end of the run (a root hook): drops every database this run made that is still there (a
 * test that failed before closing its app leaves one) and the template, and closes the connection.
 */
export async function closeTestDatabases(): Promise<void> {
  if (!admin) return;
  const names = (await adminDb()('pg_database').pluck('datname')) as string[];
  for (const name of names.filter((n) => n.startsWith(`${prefix}_`)))
    await adminDb().raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  await admin.destroy();
  admin = undefined;
  template = undefined;
}

import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

export type { Dialect, WordSearch } from './dialect';

const byClient: Record<string, Dialect> = {
  sqlite3: sqliteDialect,
  'better-sqlite3': sqliteDialect,
  pg: postgresDialect,
  postgres: postgresDialect,
  postgresql: postgresDialect,
};

/** The dialect of an open database (or transaction). */
export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  const dialect = byClient[client];
  if (!dialect) throw new Error(`Unsupported database client "${client}".`);
  return dialect;
}

/** The dialect a DATABASE_URL names: sqlite:… or postgres(ql)://…. */
export function dialectForUrl(url: string): Dialect {
  return url.startsWith('sqlite:') ? sqliteDialect : postgresDialect;
}

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { sqliteFilename, type Config } from '../../config';
import { withDatabase } from '../with-database';

const USAGE = 'Usage: npx helpdesk backup FILE   (a new file: the copy of the SQLite database)\n';

/**
 * `backup FILE`: a consistent copy of the SQLite database while the helpdesk runs. PostgreSQL has
 * its own tool for that, pg_dump; the command says so and exits 2.
 */
export async function backup(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const url = config.env.DATABASE_URL;
  if (!url.startsWith('sqlite:')) {
    process.stderr.write(
      'The database is PostgreSQL: back it up with pg_dump (for example pg_dump --format=custom --file=helpdesk.dump "$DATABASE_URL"); helpdesk backup copies SQLite databases only.\n',
    );
    return 2;
  }
  const file = path.resolve(args[0]);
  const source = sqliteFilename(url);
  if (!existsSync(source)) {
    process.stderr.write(`There is no SQLite database at ${source}: nothing to copy.\n`);
    return 2;
  }
  if (existsSync(file)) {
    process.stderr.write(`${file} already exists: give the name of a new file.\n`);
    return 2;
  }
  if (!existsSync(path.dirname(file))) {
    process.stderr.write(`The folder ${path.dirname(file)} does not exist.\n`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded once the arguments are known (see cli/index.ts)
  const { backupSqlite } = require('../../ops/backup') as typeof import('../../ops/backup');
  return withDatabase(async (db) => {
    await backupSqlite(db, file);
    process.stdout.write(`Copied the database to ${file} (${statSync(file).size} bytes).\n`);
    return 0;
  }, config);
}

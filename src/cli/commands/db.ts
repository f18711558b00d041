import { migrationConfig, type Db } from '../../db/knex';

/** `db:migrate`: applies pending migrations and says which. */
export async function dbMigrate(db: Db): Promise<number> {
  const [batch, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  process.stdout.write(applied.length === 0 ? 'Already up to date.\n' : `Batch ${batch}: applied ${applied.join(', ')}\n`);
  return 0;
}

/** `db:rollback`: undoes the last batch (or all) and says which. */
export async function dbRollback(db: Db, all: boolean): Promise<number> {
  const [batch, undone] = (await db.migrate.rollback(migrationConfig, all)) as [number, string[]];
  process.stdout.write(undone.length === 0 ? 'Nothing to roll back.\n' : `Batch ${batch}: rolled back ${undone.join(', ')}\n`);
  return 0;
}

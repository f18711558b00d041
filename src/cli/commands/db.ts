import { migrateLatest, migrateRollback, type Db } from '../../db/knex';

/** `db:migrate`: applies pending migrations and says which. */
export async function dbMigrate(db: Db): Promise<number> {
  const [batch, applied] = await migrateLatest(db);
  process.stdout.write(applied.length === 0 ? 'Already up to date.\n' : `Batch ${batch}: applied ${applied.join(', ')}\n`);
  return 0;
}

/** `db:rollback`: undoes the last batch (or all) and says which. */
export async function dbRollback(db: Db, all: boolean): Promise<number> {
  const [batch, undone] = await migrateRollback(db, all);
  process.stdout.write(undone.length === 0 ? 'Nothing to roll back.\n' : `Batch ${batch}: rolled back ${undone.join(', ')}\n`);
  return 0;
}

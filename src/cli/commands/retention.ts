import { parseArgs } from 'node:util';
import { createAuditService } from '../../audit/audit.service';
import type { Config } from '../../config';
import { migrateLatest, type Db } from '../../db/knex';
import { createRetentionService } from '../../retention/retention.service';
import { startProgress } from '../progress';
import { writeOutput } from '../write-output';

/**
 * `retention:run [--dry-run]`: deletes what is past the court profile's retention periods, except
 * what a legal hold keeps, in batches. Prints one JSON line per thing deleted (or, with --dry-run,
 * that would be), then a summary line; a dry run prints exactly what the real run then deletes.
 */
export async function retentionRun(config: Config, db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } });
  await migrateLatest(db);
  const retention = createRetentionService({ db, periods: config.profile.retention, audit: createAuditService(db) });
  if (retention.keepsEverything())
    process.stderr.write('The court profile keeps everything for ever (no retention periods are set): nothing to delete.\n');
  // Deleting years of records in batches can take a while: progress on a terminal (standard error).
  const progress = startProgress({ label: values['dry-run'] ? 'Listing what would be deleted' : 'Deleting' });
  let n = 0;
  try {
    const run = await retention.run({
      dryRun: values['dry-run'],
      actor: 'cli',
      onItem: async (item) => {
        await writeOutput(`${JSON.stringify(item)}\n`);
        n += 1;
        progress.tick();
      },
    });
    progress.stop(`${values['dry-run'] ? 'Listed' : 'Deleted'} ${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'}`);
    await writeOutput(`${JSON.stringify(run)}\n`);
  } finally {
    progress.stop();
  }
  return 0;
}

import type { Config } from '../../config';
import { migrateLatest, type Db } from '../../db/knex';
import { JOB_NAMES, runJob, type JobName } from '../../jobs/job-runner';
import { createServices } from '../../services';
import { cliLog } from '../cli-log';

/** `jobs:run NAME…` (or `--all`): runs scheduled jobs once, now, under the same lease as the server's schedule. */
export async function jobsRun(config: Config, db: Db, args: string[]): Promise<number> {
  const names = args.includes('--all') ? JOB_NAMES : args;
  const unknown = names.filter((name) => !(JOB_NAMES as string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(
      `${unknown.length ? `Unknown job: ${unknown.join(', ')}. ` : ''}Jobs: ${JOB_NAMES.join(', ')} (or --all).\n`,
    );
    return 2;
  }
  await migrateLatest(db);
  const services = createServices({ config, db, logger: cliLog() });
  try {
    for (const name of names as JobName[])
      process.stdout.write(`${JSON.stringify(await runJob({ db, config, services }, name))}\n`);
    await services.mail.sender?.deliverDue();
    return 0;
  } finally {
    await services.close();
  }
}

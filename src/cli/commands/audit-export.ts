import { parseArgs } from 'node:util';
import { createAuditService } from '../../audit/audit.service';
import type { Db } from '../../db/knex';
import { startProgress } from '../progress';
import { writeOutput } from '../write-output';

/**
 * `audit:export [--since DATE]`: the audit log, oldest first, one JSON object a line:
 * `{id, at, actor, actorName, action, description, subject, details, address}`.
 */
export async function auditExport(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' } } });
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    process.stderr.write('--since: give a date such as 2026-11-01, or an ISO time.\n');
    return 2;
  }
  const since = values.since ? new Date(values.since).toISOString() : undefined;
  // A log of years can take a while: progress on a terminal (standard error), never in the output.
  const progress = startProgress({ label: 'Exporting the audit log' });
  let n = 0;
  try {
    for await (const entry of createAuditService(db).entriesSince(since)) {
      await writeOutput(`${JSON.stringify(entry)}\n`);
      n += 1;
      progress.tick();
    }
    progress.stop(`Exported ${n.toLocaleString('en-US')} audit entr${n === 1 ? 'y' : 'ies'}`);
  } finally {
    progress.stop();
  }
  return 0;
}

import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { Config } from '../../config';
import type { Db } from '../../db/knex';
import { listCorrections } from '../../policy/triage-corrections.repository';
import { maskPrivateData } from '../../privacy/mask';
import { startProgress } from '../progress';
import { writeOutput } from '../write-output';

const SINCE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant `--since` names: a date (YYYY-MM-DD, from midnight on the court's clock) or an ISO time
 * (on the court's clock when it gives no offset); null when it is neither.
 */
export function readSince(value: string, zone: string): string | null {
  if (!SINCE.test(value)) return null;
  const at = DateTime.fromISO(value, { zone });
  return at.isValid ? (at.toUTC().toISO() as string) : null;
}

/**
 * `triage:feedback [--since DATE]`: staff corrections of the scope guard (declines, dismissed review
 * flags, reinstatements) as JSON lines `{subject, body, label, by, at}`, oldest first, masked again in
 * case the text was stored before the masker knew a pattern.
 */
export async function triageFeedback(config: Config, db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' } } });
  const since = values.since === undefined ? undefined : readSince(values.since, config.profile.timezone);
  if (since === null) {
    process.stderr.write('--since: give a date such as 2026-11-01, or a time such as 2026-11-01T09:00:00-08:00.\n');
    return 2;
  }
  // Years of corrections can be many pages: a count on a terminal (see ../progress.ts).
  const progress = startProgress({ label: 'Exporting corrections' });
  let n = 0;
  try {
    let afterId = 0;
    for (;;) {
      const rows = await listCorrections(db, { since, afterId, limit: 500 });
      if (rows.length === 0) break;
      for (const row of rows) {
        const line = {
          subject: maskPrivateData(row.subject).text,
          body: maskPrivateData(row.body).text,
          label: row.label,
          by: row.staffEmail,
          at: row.createdAt,
        };
        await writeOutput(`${JSON.stringify(line)}\n`);
      }
      n += rows.length;
      progress.tick(rows.length);
      afterId = rows[rows.length - 1].id;
    }
    progress.stop(`Exported ${n.toLocaleString('en-US')} correction${n === 1 ? '' : 's'}`);
  } finally {
    progress.stop();
  }
  return 0;
}

import { hasRole, type Config } from '../config';
import { databaseAnswers, migrationConfig, type Db } from '../db/knex';
import { imapSettings } from '../mail/mail-settings';
import type { MailHealth } from './mail-health';

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: {
    database: 'ok' | 'failing';
    /** pending: the code expects a migration the database lacks; unknown: the database did not answer. */
    migrations: 'ok' | 'pending' | 'unknown';
    /** off: IMAP not configured; not_this_process: HELPDESK_ROLES leaves mail to another process. */
    mail: 'ok' | 'failing' | 'off' | 'not_this_process';
  };
  failing?: string[];
}

async function migrationsCheck(db: Db): Promise<Readiness['checks']['migrations']> {
  try {
    const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];
    return pending.length === 0 ? 'ok' : 'pending';
  } catch {
    return 'unknown';
  }
}

function mailCheck(config: Config, health: MailHealth): Readiness['checks']['mail'] {
  if (!imapSettings(config)) return 'off';
  if (!hasRole(config, 'mail')) return 'not_this_process';
  return health.state().healthy ? 'ok' : 'failing';
}

/**
 * GET /readyz: the database answers a trivial query, no migration is pending, and mail intake (when
 * this process runs it) had no failure since its last good pass. Ready only when every check is.
 */
export async function checkReadiness(deps: { db: Db; config: Config; mailHealth: MailHealth }): Promise<Readiness> {
  const database = (await databaseAnswers(deps.db)) ? 'ok' : 'failing';
  const checks: Readiness['checks'] = {
    database,
    migrations: database === 'ok' ? await migrationsCheck(deps.db) : 'unknown',
    mail: mailCheck(deps.config, deps.mailHealth),
  };
  const failing = [
    ...(checks.database === 'ok' ? [] : ['database']),
    ...(checks.migrations === 'pending' ? ['migrations'] : []),
    ...(checks.mail === 'failing' ? ['mail'] : []),
  ];
  return failing.length === 0 ? { status: 'ready', checks } : { status: 'not_ready', checks, failing };
}

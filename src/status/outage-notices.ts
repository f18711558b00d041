import { formatInstant } from '../calendar/describe-hours';
import type { Db } from '../db/knex';
import type { Language } from '../i18n/i18n';
import type { OutageNotice } from '../mail/outbound/ticket-mail';
import { isOutageScope, scopeLabel } from './outage-scopes';
import { listActive } from './outages.repository';

/**
 * The outages on now, as acknowledgements of new requests tell of them. Read with the caller's query
 * runner: email intake acknowledges inside its transaction, which on SQLite holds the only connection.
 * One small read of a partial index per batch of acknowledgements (and language).
 */
export async function outageNoticesWithin(q: Db, timezone: string, language: Language = 'en'): Promise<OutageNotice[]> {
  return (await listActive(q)).map((outage) => ({
    what: isOutageScope(outage.scope) ? scopeLabel(outage.scope, language) : outage.scope,
    since: formatInstant(outage.started_at, timezone, language),
    message: outage.message,
  }));
}

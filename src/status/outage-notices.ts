import { formatInstant } from '../calendar/describe-hours';
import type { Db } from '../db/knex';
import type { OutageNotice } from '../mail/outbound/ticket-mail';
import { isOutageScope, SCOPE_LABELS } from './outage-scopes';
import { listActive } from './outages.repository';

/**
 * The outages on now, as acknowledgements of new requests tell of them. Read with the caller's query
 * runner: email intake acknowledges inside its transaction, which on SQLite holds the only connection.
 * One small read of a partial index per batch of acknowledgements.
 */
export async function outageNoticesWithin(q: Db, timezone: string): Promise<OutageNotice[]> {
  return (await listActive(q)).map((outage) => ({
    what: isOutageScope(outage.scope) ? SCOPE_LABELS[outage.scope] : outage.scope,
    since: formatInstant(outage.started_at, timezone),
    message: outage.message,
  }));
}

import { parseArgs } from 'node:util';
import { formatInstant } from '../../calendar/describe-hours';
import type { Config } from '../../config';
import type { Db } from '../../db/knex';
import { AppError } from '../../errors';
import { SCOPE_LABELS } from '../../status/outage-scopes';
import { createOutageService, type Outage } from '../../status/outages.service';

const ACTOR = 'cli';
/** The option a field of the service's errors came from. */
const OPTION_OF: Record<string, string> = { startedAt: 'at', endedAt: 'at' };

/** Runs a change; a refusal (bad input, an outage already on…) is told on stderr with exit code 1. */
async function refusedOr(work: () => Promise<string>): Promise<number> {
  try {
    process.stdout.write(`${await work()}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.fieldErrors.map((e) => `${e.field ? `--${OPTION_OF[e.field] ?? e.field}: ` : ''}${e.message}`);
    process.stderr.write(`${details.length ? details.join('\n') : error.message}\n`);
    return 1;
  }
}

const describe = (o: Outage) => `outage ${o.id} of ${SCOPE_LABELS[o.scope]} (${o.scope})`;

/** `outage:start --scope S --message M [--at ISO]`: declares an outage, from now or from a past time. */
export async function outageStart(config: Config, db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { scope: { type: 'string' }, message: { type: 'string' }, at: { type: 'string' } },
  });
  if (!values.scope || values.message === undefined) {
    process.stderr.write('outage:start needs --scope S and --message M (and --at ISO for a start in the past).\n');
    return 2;
  }
  const zone = config.profile.timezone;
  const outages = createOutageService({ db, timezone: zone });
  return refusedOr(async () => {
    const o = await outages.declare({
      scope: values.scope as string,
      message: values.message as string,
      startedAt: values.at,
      actor: ACTOR,
    });
    return `Declared ${describe(o)}, since ${formatInstant(o.startedAt, zone)}.`;
  });
}

/** `outage:end [--scope S] [--at ISO]`: ends the active outage (of that scope, when several are on). */
export async function outageEnd(config: Config, db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { scope: { type: 'string' }, at: { type: 'string' } } });
  const zone = config.profile.timezone;
  const outages = createOutageService({ db, timezone: zone });
  let scope = values.scope;
  if (!scope) {
    const active = await outages.active();
    if (active.length === 0) {
      process.stderr.write('No outage is active: there is nothing to end.\n');
      return 1;
    }
    if (active.length > 1) {
      const list = active.map(
        (o) => `  --scope ${o.scope}   ${SCOPE_LABELS[o.scope]}, since ${formatInstant(o.startedAt, zone)}`,
      );
      process.stderr.write(`${active.length} outages are active; choose which to end:\n${list.join('\n')}\n`);
      return 2;
    }
    scope = active[0].scope;
  }
  const chosen = scope;
  return refusedOr(async () => {
    const o = await outages.end(chosen, { endedAt: values.at, actor: ACTOR });
    return `Ended ${describe(o)} at ${formatInstant(o.endedAt as string, zone)}.`;
  });
}

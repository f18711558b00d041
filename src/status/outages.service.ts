import { DateTime } from 'luxon';
import { createAuditService, type AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../db/constraint-errors';
import type { Db } from '../db/knex';
import { AppError, Conflict, Invalid, NotFound } from '../errors';
import { isOutageScope, OUTAGE_SCOPES, SCOPE_LABELS, type OutageScope } from './outage-scopes';
import * as repo from './outages.repository';

/** An outage as every caller sees it: times are ISO-8601 UTC strings; `endedAt` is null while it is on. */
export interface Outage {
  id: number;
  scope: OutageScope;
  message: string;
  startedAt: string;
  endedAt: string | null;
}

/** An outage in the history, with how many filers reported it and when it last changed. */
export interface OutageInHistory extends Outage {
  reports: number;
  changedAt: string;
}

export interface OutageEvent {
  kind: repo.OutageEventKind;
  message: string | null;
  effectiveAt: string;
  actor: string;
  recordedAt: string;
}

/** A public message's longest length: a notice, not a letter. */
export const MAX_MESSAGE_LENGTH = 1000;
/** How far ahead of this server's clock a stated time may be (another machine's clock), read as now. */
export const CLOCK_SKEW_MS = 2 * 60_000;
/**
 * How long a process may answer "what is down" from memory. The banner reads it on every public page;
 * other processes sharing PostgreSQL see a change within this time, this process at once.
 */
export const ACTIVE_CACHE_MS = 3000;

export interface OutageServiceDeps {
  db: Db;
  /** The court's zone: a time written without an offset (a staff form's) is read in it. */
  timezone: string;
  now?: () => Date;
  /** Where each declaration, update and end is recorded (SPEC §12); the audit log of `db` when not given. */
  audit?: Pick<AuditService, 'record'>;
}

const toOutage = (row: repo.OutageRow): Outage => ({
  id: row.id,
  scope: row.scope as OutageScope,
  message: row.message,
  startedAt: row.started_at,
  endedAt: row.ended_at,
});

function cleanMessage(message: unknown): string {
  const text = typeof message === 'string' ? message.trim() : '';
  if (!text) throw new Invalid([{ field: 'message', code: 'required', message: 'Please write the public message.' }]);
  if (text.length > MAX_MESSAGE_LENGTH)
    throw new Invalid([
      { field: 'message', code: 'too_long', message: `The public message is limited to ${MAX_MESSAGE_LENGTH} characters.` },
    ]);
  return text;
}

function checkScope(scope: unknown): OutageScope {
  if (isOutageScope(scope)) return scope;
  throw new Invalid([
    { field: 'scope', code: 'unknown_scope', message: `Choose what is affected: ${OUTAGE_SCOPES.join(', ')}.` },
  ]);
}

/**
 * Creates the outage service: declaring, updating and ending outages (each change recorded as an
 * event with who and when), what is down now, and the history.
 */
export function createOutageService(deps: OutageServiceDeps) {
  const { db, timezone } = deps;
  const now = deps.now ?? (() => new Date());
  const audit = deps.audit ?? createAuditService(db, now);
  let cached: { until: number; outages: Promise<Outage[]> } | null = null;
  const forget = () => {
    cached = null;
  };

  /**
   * Reads a stated time (ISO-8601; without an offset, in the court's zone) as a UTC ISO string, or
   * now when none is given. A time a little ahead (clock skew) is read as now; further ahead is refused.
   */
  function pastTime(value: string | Date | undefined, field: string, future: { code: string; message: string }): string {
    const current = now();
    if (value === undefined || value === '') return current.toISOString();
    const parsed = value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromISO(value, { zone: timezone });
    if (!parsed.isValid)
      throw new Invalid([
        { field, code: 'invalid_time', message: 'Write the time as a date and time, such as 2026-11-02T09:05.' },
      ]);
    const at = parsed.toJSDate();
    if (at.getTime() > current.getTime() + CLOCK_SKEW_MS) throw new Invalid([{ field, ...future }]);
    return (at.getTime() > current.getTime() ? current : at).toISOString();
  }

  async function load(trx: Db, id: number): Promise<repo.OutageRow> {
    const row = await repo.findOutage(trx, id);
    if (!row) throw new NotFound('There is no outage with this number.');
    return row;
  }

  const alreadyEnded = () => new Conflict('already_ended', 'This outage has already ended.');

  return {
    scopes: OUTAGE_SCOPES,

    /** The active outage of `scope`, read from the database (pass a transaction to read inside it). */
    async findActive(scope: string, trx: Db = db): Promise<Outage | null> {
      const row = await repo.findActiveByScope(trx, scope);
      return row ? toOutage(row) : null;
    },

    /** Every active outage, earliest first; read from memory for up to ACTIVE_CACHE_MS (the banner reads it per page). */
    async active(): Promise<Outage[]> {
      const clock = performance.now();
      if (!cached || cached.until <= clock) {
        const outages = repo.listActive(db).then((rows) => rows.map(toOutage));
        cached = { until: clock + ACTIVE_CACHE_MS, outages };
        // A failed read is not kept: the next page asks again.
        outages.catch(() => {
          if (cached?.outages === outages) cached = null;
        });
      }
      return cached.outages;
    },

    async get(id: number): Promise<Outage> {
      return toOutage(await load(db, id));
    },

    /** What was done to an outage and by whom, oldest first. */
    async events(id: number): Promise<OutageEvent[]> {
      return (await repo.eventsOf(db, id)).map((e) => ({
        kind: e.kind,
        message: e.message,
        effectiveAt: e.effective_at,
        actor: e.actor,
        recordedAt: e.recorded_at,
      }));
    },

    /** Declares an outage of `scope`, from `startedAt` (default now; never in the future). */
    async declare(input: { scope: string; message: string; startedAt?: string | Date; actor: string }): Promise<Outage> {
      const scope = checkScope(input.scope);
      const message = cleanMessage(input.message);
      const startedAt = pastTime(input.startedAt, 'startedAt', {
        code: 'start_in_future',
        message: 'The start cannot be in the future: declare the outage when it begins.',
      });
      const recordedAt = now().toISOString();
      try {
        const id = await db.transaction(async (trx) => {
          const id = await repo.insertOutage(trx, {
            scope,
            message,
            started_at: startedAt,
            declared_by: input.actor,
            created_at: recordedAt,
          });
          await repo.insertEvent(trx, {
            outage_id: id,
            kind: 'declared',
            message,
            effective_at: startedAt,
            actor: input.actor,
            recorded_at: recordedAt,
          });
          await audit.record(
            { actor: input.actor, action: 'outage.declared', subject: { type: 'outage', id }, details: { scope } },
            trx,
          );
          return id;
        });
        return { id, scope, message, startedAt, endedAt: null };
      } catch (error) {
        if (isUniqueViolation(error))
          throw new Conflict(
            'outage_active',
            `An outage of "${SCOPE_LABELS[scope]}" is already declared: update or end that one instead.`,
          );
        throw error;
      } finally {
        forget();
      }
    },

    /** Replaces the public message of an active outage; the earlier message stays in its events. */
    async update(id: number, input: { message: string; actor: string }): Promise<Outage> {
      const message = cleanMessage(input.message);
      try {
        return await db.transaction(async (trx) => {
          const row = await load(trx, id);
          if (!(await repo.setMessage(trx, id, message))) throw alreadyEnded();
          const at = now().toISOString();
          await repo.insertEvent(trx, {
            outage_id: id,
            kind: 'updated',
            message,
            effective_at: at,
            actor: input.actor,
            recorded_at: at,
          });
          await audit.record(
            { actor: input.actor, action: 'outage.updated', subject: { type: 'outage', id }, details: { scope: row.scope } },
            trx,
          );
          return { ...toOutage(row), message };
        });
      } finally {
        forget();
      }
    },

    /** Ends an outage, by its id or as the active outage of a scope, at `endedAt` (default now). */
    async end(target: number | string, input: { endedAt?: string | Date; actor: string }): Promise<Outage> {
      const endedAt = pastTime(input.endedAt, 'endedAt', {
        code: 'end_in_future',
        message: 'The end cannot be in the future: end the outage when it is over.',
      });
      try {
        return await db.transaction(async (trx) => {
          let row: repo.OutageRow;
          if (typeof target === 'number') row = await load(trx, target);
          else {
            const scope = checkScope(target);
            const active = await repo.findActiveByScope(trx, scope);
            if (!active) throw new AppError(404, 'no_active_outage', `No outage of "${SCOPE_LABELS[scope]}" is declared now.`);
            row = active;
          }
          if (row.ended_at) throw alreadyEnded();
          if (endedAt < row.started_at)
            throw new Invalid([
              { field: 'endedAt', code: 'end_before_start', message: 'The end must come after the start of the outage.' },
            ]);
          if (!(await repo.setEnded(trx, row.id, endedAt))) throw alreadyEnded();
          await repo.insertEvent(trx, {
            outage_id: row.id,
            kind: 'ended',
            message: null,
            effective_at: endedAt,
            actor: input.actor,
            recorded_at: now().toISOString(),
          });
          await audit.record(
            {
              actor: input.actor,
              action: 'outage.ended',
              subject: { type: 'outage', id: row.id },
              details: { scope: row.scope },
            },
            trx,
          );
          return { ...toOutage(row), endedAt };
        });
      } finally {
        forget();
      }
    },

    /**
     * Outages that overlap [from, to) (ISO-8601; either may be left out), latest first, with their
     * report counts; `limit`/`offset` page through them.
     */
    async history(range: { from?: string; to?: string; limit?: number; offset?: number } = {}): Promise<OutageInHistory[]> {
      const rows = await repo.history(db, { ...utcRange(range, timezone), limit: range.limit, offset: range.offset });
      return rows.map((row) => ({ ...toOutage(row), reports: row.reports, changedAt: row.changed_at }));
    },

    /** How many outages overlap [from, to). */
    async countHistory(range: { from?: string; to?: string } = {}): Promise<number> {
      return repo.countHistory(db, utcRange(range, timezone));
    },
  };
}

/** A from/to pair as UTC ISO strings; a bad one is refused (400) naming the field. */
function utcRange(range: { from?: string; to?: string }, timezone: string): { fromIso?: string; toIso?: string } {
  const utc = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const parsed = DateTime.fromISO(value, { zone: timezone });
    if (!parsed.isValid)
      throw new Invalid([
        { field, code: 'invalid_time', message: `${field} must be a date or date and time in ISO-8601, such as 2026-11-01.` },
      ]);
    return parsed.toUTC().toISO() as string;
  };
  const fromIso = utc(range.from, 'from');
  const toIso = utc(range.to, 'to');
  if (fromIso && toIso && toIso < fromIso)
    throw new Invalid([{ field: 'to', code: 'to_before_from', message: 'to must come after from.' }]);
  return { fromIso, toIso };
}

export type OutageService = ReturnType<typeof createOutageService>;

import type { AuditActor, AuditService } from '../audit/audit.service';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import {
  callbackOriginalsStage,
  privateOriginalsStage,
  rawMailStage,
  ticketsStage,
  type RetentionItem,
  type RetentionSummary,
  type Stage,
} from './retention-stages';

export type { RetentionItem, RetentionSummary } from './retention-stages';

/** The court profile's periods, in days; null keeps for ever. */
export type RetentionPeriods = CourtProfile['retention'];

export interface RetentionRun {
  dryRun: boolean;
  periods: RetentionPeriods;
  summary: RetentionSummary;
}

export interface RetentionRunOptions {
  /** List what would go; delete nothing, record nothing. */
  dryRun?: boolean;
  actor: AuditActor;
  /** Rows per transaction: the database is held for one batch at a time. */
  batchSize?: number;
  /** The run's clock: what is older than the periods counted back from here goes. */
  now?: Date;
  /** Told each item once its batch is deleted (or found, in a dry run), in order. */
  onItem?: (item: RetentionItem) => void | Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 500;

const DAY_MS = 86_400_000;

/**
 * Retention (SPEC §12): deletes what is past the court profile's periods, except what a legal hold
 * keeps, in batches of one transaction each; each batch is recorded in the audit log inside its own
 * transaction, and the run's totals at the end. A dry run finds the same rows with the same queries
 * in the same order and deletes nothing, so what it lists is what the real run then deletes.
 */
export function createRetentionService(deps: { db: Db; periods: RetentionPeriods; audit: AuditService; now?: () => Date }) {
  const { db, periods, audit } = deps;
  const clock = deps.now ?? (() => new Date());

  return {
    periods,

    /** True when the profile keeps everything for ever (the built-in default): a run has nothing to do. */
    keepsEverything: (): boolean => Object.values(periods).every((days) => days === null),

    async run(options: RetentionRunOptions): Promise<RetentionRun> {
      const now = options.now ?? clock();
      const dryRun = options.dryRun ?? false;
      const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
      const runId = now.toISOString();
      const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
      const summary: RetentionSummary = { privateOriginals: 0, callbackOriginals: 0, rawMail: 0, tickets: 0 };
      const alongside = { rawMailWithTickets: 0, attachments: 0 };

      const runStage = async <Row>(stage: Stage<Row>) => {
        for (let after = 0; ;) {
          const found = dryRun
            ? await stage.find(db, after, size)
            : await db.transaction(async (trx) => {
                const batch = await stage.find(trx, after, size);
                if (batch.rows.length === 0) return batch;
                const counts = await stage.remove(trx, batch.rows);
                for (const key of Object.keys(alongside) as Array<keyof typeof alongside>) alongside[key] += counts[key] ?? 0;
                await audit.record(
                  {
                    actor: options.actor,
                    action: 'retention.deleted',
                    subject: { type: 'retention', id: runId },
                    details: { kind: stage.kind, ...counts, references: stage.references(batch.rows) },
                  },
                  trx,
                );
                return batch;
              });
          if (found.next === null) return;
          summary[stage.kind] += found.rows.length;
          for (const row of found.rows) await options.onItem?.(stage.item(row));
          after = found.next;
          // Between batches, other work gets the database (SQLite has one connection).
          await new Promise((resolve) => setImmediate(resolve));
        }
      };

      // Originals and raw mail first: deleting them changes nothing about which tickets are due, so a
      // dry run, which deletes nothing, finds every stage's rows as the real run does.
      const { privateOriginalDays, rawMailDays, closedTicketDays } = periods;
      if (privateOriginalDays !== null) {
        await runStage(privateOriginalsStage(cutoff(privateOriginalDays)));
        await runStage(callbackOriginalsStage(cutoff(privateOriginalDays)));
      }
      if (rawMailDays !== null) await runStage(rawMailStage(cutoff(rawMailDays)));
      if (closedTicketDays !== null) await runStage(await ticketsStage(db, cutoff(closedTicketDays)));

      if (!dryRun)
        await audit.record({
          actor: options.actor,
          action: 'retention.run',
          subject: { type: 'retention', id: runId },
          details: { ...summary, ...alongside, ...periods },
        });
      return { dryRun, periods, summary };
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import { publicBaseUrl, type Services } from '../services';
import { markCallbacksNeedingOutcome } from './callback-expiry';
import { sendDailySummaries } from './daily-summaries';
import { sendCallbackReminders } from './callback-reminders';
import { acquireLease, releaseLease } from './job-lease.repository';
import { optimizeDatabase } from './optimize-database';
import { alertOverdueFirstResponses } from './overdue-alerts';
import { measureResolutionTimes } from './resolution-times';

export interface JobDeps {
  db: Db;
  config: Config;
  services: Services;
}

type JobResult = Record<string, number | boolean | string>;

interface JobDefinition {
  /** When it runs (cron syntax, in the court's time zone). */
  schedule: string;
  /** The time between two runs of the schedule. */
  periodMinutes: number;
  /** Longer than a run can take: a process that dies holding the lease frees the job after this. */
  leaseMinutes: number;
  run(deps: JobDeps, now: Date): Promise<JobResult>;
}

const MAIL_OFF: JobResult = { skipped: 'mail off' };

const JOBS = {
  'callback-reminders': {
    schedule: '*/5 * * * *',
    periodMinutes: 5,
    leaseMinutes: 10,
    run: async ({ db, config, services }, now) => {
      const mail = services.mail.callbackMail;
      return mail ? sendCallbackReminders({ db, mail, zone: config.profile.timezone }, now) : MAIL_OFF;
    },
  },
  'overdue-alerts': {
    schedule: '*/5 * * * *',
    periodMinutes: 5,
    leaseMinutes: 10,
    run: async ({ db, config, services }, now) => {
      const outbox = services.mail.outbox;
      if (!outbox) return MAIL_OFF;
      return alertOverdueFirstResponses({ db, outbox, profile: config.profile, baseUrl: publicBaseUrl(config) }, now);
    },
  },
  'callback-expiry': {
    schedule: '*/15 * * * *',
    periodMinutes: 15,
    leaseMinutes: 10,
    run: ({ db }, now) => markCallbacksNeedingOutcome(db, now),
  },
  // An answer to all reports of an outage goes on in the background when there are many; a process
  // that stopped before the end leaves some unreached: they are sent here.
  'outage-answers': {
    schedule: '*/5 * * * *',
    periodMinutes: 5,
    leaseMinutes: 30,
    run: ({ services }) => services.outageReports.resumeAnswers(),
  },
  // Tickets finished before their time to resolve was stored (after an upgrade): measured in a few
  // runs, then each run finds none.
  'resolution-times': {
    schedule: '*/15 * * * *',
    periodMinutes: 15,
    leaseMinutes: 10,
    run: ({ db, config }) => measureResolutionTimes(db, config.profile),
  },
  // Every six hours, off the hour so it does not meet the five-minute jobs' busiest moment.
  'optimize-database': {
    schedule: '17 */6 * * *',
    periodMinutes: 360,
    leaseMinutes: 30,
    run: ({ db }, now) => optimizeDatabase(db, now),
  },
  // Early each working day on the court's clock, before the helpdesk opens: each staff member's open
  // and overdue tickets. Runs once a day whatever the number of jobs processes (the outbox's dedupe key
  // is the person and the court's date).
  'daily-summaries': {
    schedule: '30 6 * * *',
    periodMinutes: 1440,
    leaseMinutes: 30,
    run: async ({ db, config, services }, now) => {
      const outbox = services.mail.outbox;
      if (!outbox) return MAIL_OFF;
      return sendDailySummaries({ db, outbox, profile: config.profile, baseUrl: publicBaseUrl(config) }, now);
    },
  },
  // Once a day at night on the court's clock, in batches (src/retention/retention.service.ts). The
  // lease outlasts a long first run on a large database.
  retention: {
    schedule: '41 2 * * *',
    periodMinutes: 1440,
    leaseMinutes: 360,
    run: async ({ services }, now): Promise<JobResult> => {
      if (services.retention.keepsEverything()) return { skipped: 'the court profile keeps everything' };
      return { ...(await services.retention.run({ actor: 'system', now })).summary };
    },
  },
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export type JobOutcome =
  { job: JobName; status: 'ran'; result: JobResult } | { job: JobName; status: 'skipped'; reason: 'lease_held' };

/**
 * Runs job `name` as of `now`, unless another run (in this process or another) holds its lease. Every
 * job is safe to run twice, so the lease is about not doing the work twice, not correctness. After a
 * run the lease is kept for half the job's period: every jobs process fires at the same scheduled
 * moment, give or take its clock, and the others' ticks for this period then find it held, while the
 * next period's tick finds it free.
 */
export async function runJob(deps: JobDeps, name: JobName, now: Date = new Date()): Promise<JobOutcome> {
  const job: JobDefinition = JOBS[name];
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  const expires = new Date(now.getTime() + job.leaseMinutes * 60_000);
  const counted = (outcome: 'ran' | 'skipped' | 'failed') => deps.services.ops.counters.inc('job_runs', { job: name, outcome });
  if (!(await acquireLease(deps.db, name, holder, now, expires))) {
    counted('skipped');
    return { job: name, status: 'skipped', reason: 'lease_held' };
  }
  try {
    const result = await job.run(deps, now);
    counted('ran');
    return { job: name, status: 'ran', result };
  } catch (error) {
    counted('failed');
    throw error;
  } finally {
    const every = deps.config.env.JOBS_EVERY_SECONDS;
    const periodMs = every ? every * 1000 : job.periodMinutes * 60_000;
    await releaseLease(deps.db, name, holder, new Date(now.getTime() + periodMs / 2));
  }
}

/**
 * Schedules every job with node-cron in the court's time zone (every JOBS_EVERY_SECONDS seconds instead,
 * when set: tests and trials); stop() waits for runs under way.
 */
export function startJobs(deps: JobDeps, log: Logger, clock: () => Date = () => new Date()): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const every = deps.config.env.JOBS_EVERY_SECONDS;
  const tasks: ScheduledTask[] = JOB_NAMES.map((name) =>
    cron.schedule(
      every ? `*/${every} * * * * *` : JOBS[name].schedule,
      () => {
        const run = runJob(deps, name, clock())
          .then((outcome) => log.debug(outcome, `job ${name} ${outcome.status}`))
          .catch((error: unknown) => log.error({ err: error, job: name }, `job ${name} failed`))
          .finally(() => running.delete(run));
        running.add(run);
        return run;
      },
      { name, timezone: deps.config.profile.timezone, noOverlap: true },
    ),
  );
  log.info({ jobs: JOB_NAMES }, 'background jobs: on');
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}

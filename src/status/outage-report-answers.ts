import type { Db } from '../db/knex';
import { Conflict } from '../errors';
import type { Logger } from '../logger';
import { findUser, type StaffUser } from '../staff/staff.repository';
import { StaleTicket, type TicketWorkService } from '../tickets/ticket-work.service';
import * as repo from './outage-reports.repository';
import type { OutageService } from './outages.service';
import { insertEvent } from './outages.repository';

/** Raised inside a reply's commit when the answer had already reached that report: the reply is undone. */
class AlreadyReached extends Error {}

// A reply is refused when someone changed the ticket meanwhile: it is read again and tried again.
const ATTEMPTS = 3;
const PAGE = 100;
// Staff wait this long at most for an answer to reach the reports (each is a whole staff reply, a
// hundred or so a second): thousands of reports would outlast a proxy's patience. The rest goes on in
// the background, and the outage-answers job finishes what a stopped process left.
const WAIT_MS = 5_000;
// An answer still short of reports after this long is not sent any more: the outage is long over.
const RESUME_DAYS = 7;

export interface OutageReportAnswersDeps {
  db: Db;
  work: Pick<TicketWorkService, 'ticketByReference' | 'reply'>;
  outages: Pick<OutageService, 'get'>;
  now: () => Date;
  log?: Pick<Logger, 'error'>;
  /** How long `answerAll` waits for the answer to reach every report (tests shorten it). */
  waitMs?: number;
}

/**
 * "Answer all": one reply from staff to every report of an outage, each sent through the ordinary
 * staff reply (the ticket's thread, the outbox, the history), recorded once on the outage as an
 * `answered` event. It reaches the reports received before it; staff wait a few seconds at most, and
 * the rest goes on in the background (and in the outage-answers job after a stop). A second
 * submission of the same form finds the first answer and sends only to reports it has not reached.
 */
export function createOutageReportAnswers(deps: OutageReportAnswersDeps) {
  const { db, work, outages, now } = deps;

  /** Keeps the answer and its event, once per form; the answer kept (the first one, on a second submission). */
  async function keepAnswer(outageId: number, staff: StaffUser, body: string, formKey: string): Promise<repo.AnswerRow> {
    const at = now().toISOString();
    return db.transaction(async (trx) => {
      const row = { outage_id: outageId, form_key: formKey, body, staff_id: staff.id, created_at: at };
      const id = await repo.insertAnswer(trx, row);
      if (id !== undefined) {
        await insertEvent(trx, {
          outage_id: outageId,
          kind: 'answered',
          message: body,
          effective_at: at,
          actor: `staff:${staff.id}`,
          recorded_at: at,
        });
        return { id, ...row };
      }
      const kept = await repo.findAnswerByKey(trx, formKey);
      if (!kept || kept.outage_id !== outageId)
        throw new Conflict('form_used', 'This form was already used. Please reload the page and write the answer again.');
      return kept;
    });
  }

  /** Replies to one report, unless the answer reached it already; whether this call sent the reply. */
  async function replyOnce(answer: repo.AnswerRow, staff: StaffUser, report: { ticketId: number; reference: string }) {
    for (let attempt = 1; ; attempt += 1) {
      const ticket = await work.ticketByReference(report.reference);
      try {
        await work.reply(report.reference, staff, ticket.version, answer.body, async (trx, at) => {
          if (!(await repo.markReached(trx, answer.id, report.ticketId, at))) throw new AlreadyReached();
        });
        return true;
      } catch (error) {
        if (error instanceof AlreadyReached) return false;
        if (error instanceof StaleTicket && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Replies to every report the answer has not reached yet; how many this call reached. */
  async function reachAll(answer: repo.AnswerRow, staff: StaffUser): Promise<number> {
    let sent = 0;
    let after = 0;
    for (;;) {
      const page = await repo.reportsNotReached(db, answer, after, PAGE);
      if (page.length === 0) return sent;
      for (const report of page) {
        if (await replyOnce(answer, staff, report)) sent += 1;
        after = report.ticketId;
      }
    }
  }

  // The answers this process is sending now: a second submission, or the job, joins the run under way.
  const running = new Map<number, Promise<number>>();
  function reach(answer: repo.AnswerRow, staff: StaffUser): Promise<number> {
    let run = running.get(answer.id);
    if (!run) {
      run = reachAll(answer, staff).finally(() => running.delete(answer.id));
      running.set(answer.id, run);
    }
    return run;
  }

  return {
    /**
     * Sends `body` to every report of the outage received before the answer and not reached yet.
     * `finished` false: it is still being sent (in the background) when the wait ran out.
     */
    async answerAll(outageId: number, staff: StaffUser, body: string, formKey: string): Promise<{ finished: boolean }> {
      await outages.get(outageId); // 404 for an outage that does not exist
      const answer = await keepAnswer(outageId, staff, body, formKey);
      const run = reach(answer, staff);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deps.waitMs ?? WAIT_MS)));
      const finished = await Promise.race([run.then(() => true), waited]).finally(() => clearTimeout(timer));
      // What is left runs on; a failure then is logged, and the job tries again.
      if (!finished)
        run.catch((error: unknown) =>
          deps.log?.error({ err: error, answerId: answer.id }, 'an outage answer could not reach every report'),
        );
      return { finished };
    },

    /**
     * The job's part: answers of the last week that have not reached every report received before
     * them (the process sending them stopped), sent now, as their author.
     */
    async resumeAnswers(): Promise<{ answers: number; sent: number }> {
      const since = new Date(now().getTime() - RESUME_DAYS * 86_400_000).toISOString();
      const unfinished = await repo.answersNotFinished(db, since);
      let sent = 0;
      for (const answer of unfinished) {
        const staff = await findUser(db, answer.staff_id);
        // A deleted author leaves the answer as it is: a reply is sent in a person's name.
        if (staff) sent += await reach(answer, staff);
      }
      return { answers: unfinished.length, sent };
    },
  };
}

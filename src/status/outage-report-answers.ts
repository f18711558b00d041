import type { Db } from '../db/knex';
import { Conflict } from '../errors';
import type { StaffUser } from '../staff/staff.repository';
import { StaleTicket, type TicketWorkService } from '../tickets/ticket-work.service';
import * as repo from './outage-reports.repository';
import type { OutageService } from './outages.service';
import { insertEvent } from './outages.repository';

/** Raised inside a reply's commit when the answer had already reached that report: the reply is undone. */
class AlreadyReached extends Error {}

// A reply is refused when someone changed the ticket meanwhile: it is read again and tried again.
const ATTEMPTS = 3;
const PAGE = 100;

export interface OutageReportAnswersDeps {
  db: Db;
  work: Pick<TicketWorkService, 'ticketByReference' | 'reply'>;
  outages: Pick<OutageService, 'get'>;
  now: () => Date;
}

/**
 * "Answer all": one reply from staff to every report of an outage, each sent through the ordinary
 * staff reply (the ticket's thread, the outbox, the history), recorded once on the outage as an
 * `answered` event. A second submission of the same form finds the first answer and sends only to
 * reports it has not reached (none, unless it was cut short or reports came in since).
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

  return {
    /** Sends `body` to every report of the outage not yet reached by this form's answer; how many it reached now. */
    async answerAll(outageId: number, staff: StaffUser, body: string, formKey: string): Promise<{ sent: number }> {
      await outages.get(outageId); // 404 for an outage that does not exist
      const answer = await keepAnswer(outageId, staff, body, formKey);
      let sent = 0;
      let after = 0;
      for (;;) {
        const page = await repo.reportsNotReached(db, answer, after, PAGE);
        if (page.length === 0) return { sent };
        for (const report of page) {
          if (await replyOnce(answer, staff, report)) sent += 1;
          after = report.ticketId;
        }
      }
    },
  };
}

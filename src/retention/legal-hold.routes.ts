import type { RequestHandler, Response } from 'express';
import { noticeTable } from '../http/validate';
import type { LegalHolds } from './legal-holds.service';

const DONE = noticeTable({
  'hold-placed': 'Legal hold placed: nothing of this ticket will be deleted until an administrator lifts the hold.',
  'hold-lifted': "Legal hold lifted: this ticket will be deleted once it is past the court's retention period.",
});

// Set by loadStaff, and required for /staff (route table); read here without importing staff/.
const staffOf = (res: Response) => res.locals.staff as { id: number; name: string; role: string } | undefined;

/** The legal hold on a ticket: shown on its page to administrators, placed and lifted by them (role check in the route table). */
export function legalHoldHandlers(holds: LegalHolds) {
  /** Before the ticket page: what its hold section shows (administrators only). */
  const onTicketPage: RequestHandler = async (req, res, next) => {
    if (staffOf(res)?.role === 'admin')
      res.locals.legalHold = { hold: await holds.holdOf(String(req.params.reference)), notice: DONE(req.query.done) };
    next();
  };

  const change =
    (on: boolean): RequestHandler =>
    async (req, res) => {
      const reference = String(req.params.reference).toUpperCase();
      const staff = staffOf(res) as { id: number; name: string };
      await (on ? holds.place : holds.lift)(reference, { staff, address: req.ip });
      res.redirect(303, `/staff/tickets/${reference}?done=${on ? 'hold-placed' : 'hold-lifted'}`);
    };

  return { onTicketPage, place: change(true), lift: change(false) };
}

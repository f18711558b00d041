import type { RequestHandler, Response } from 'express';
import { staffActor, type AuditService } from '../audit/audit.service';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { noticeTable, parseId } from '../http/validate';
import { countListMailWaiting, listByStatus, listMailWaiting, listReusedMessageIds } from './inbound/inbound-mail.repository';
import type { MailIntake } from './inbound/mail-intake.service';
import { countByStatus } from './outbound/outbox.repository';
import {
  attachmentContent,
  failedOutgoing,
  rawMessage,
  reportsAboutNothingSent,
  ticketReferences,
} from './staff-mail.repository';

const DONE = noticeTable({
  processed: 'The message was processed.',
  quarantined: 'The message still cannot be processed; the reason is shown below.',
});

/**
 * Staff pages about mail: set-aside (quarantined) messages with "try again", list mail with "make it
 * a ticket", messages that reused an earlier message's Message-ID, ignored mail, failed deliveries, downloads.
 */
export function staffMailHandlers(deps: { db: Db; intake: MailIntake; audit: Pick<AuditService, 'record'> }) {
  const { db, intake } = deps;
  // Set by loadStaff, and required for /staff (route table); read here without importing staff/.
  const staffOf = (res: Response) => res.locals.staff as { id: number; name: string };

  const mailPage: RequestHandler = async (req, res) => {
    const [quarantined, listMail, listMailCount, reused, ignored, failed, outbox] = await Promise.all([
      listByStatus(db, 'quarantined'),
      listMailWaiting(db),
      countListMailWaiting(db),
      listReusedMessageIds(db),
      listByStatus(db, 'ignored', 30),
      failedOutgoing(db),
      countByStatus(db),
    ]);
    const [aboutNothingSent, references] = await Promise.all([
      reportsAboutNothingSent(
        db,
        ignored.filter((m) => m.kind === 'bounce').map((m) => m.id),
      ),
      ticketReferences(db, [...reused.map((m) => m.ticket_id), ...reused.map((m) => m.earlier?.ticket_id ?? null)]),
    ]);
    res.render('staff/mail', {
      title: 'Mail',
      quarantined,
      listMail,
      listMailCount,
      reused,
      references,
      ignored,
      aboutNothingSent,
      failed,
      outbox,
      notice: DONE(req.query.done),
    });
  };

  const retry: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const outcome = await intake.retry(id);
    if (!outcome) throw new NotFound('There is no set-aside message with this number.');
    res.redirect(303, `/staff/mail?done=${outcome.status}`);
  };

  const makeTicket: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    // Set by loadStaff, and required for /staff (route table); read here without importing staff/,
    // which imports mail/ for the ticket page.
    const staff = res.locals.staff as { id: number } | undefined;
    const ticket = staff ? await intake.makeTicket(id, staff.id) : null;
    if (!ticket) throw new NotFound('There is no list message waiting with this number.');
    res.redirect(303, `/staff/tickets/${ticket.reference}`);
  };

  // The raw message holds what the filer sent before any masking: administrators only (route table).
  const raw: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const message = await rawMessage(db, id);
    if (!message) throw new NotFound('There is no stored message with this number.');
    // Recorded before a byte is sent (SPEC §12): no record, no download.
    await deps.audit.record({
      actor: staffActor(staffOf(res)),
      action: 'raw_mail.viewed',
      subject: { type: 'inbound_mail', id },
      address: req.ip,
    });
    res.set('Content-Type', 'message/rfc822');
    res.set('Content-Disposition', `attachment; filename="message-${id}.eml"`);
    res.send(message);
  };

  // Always a download, never shown inline: a file from outside must not run in the staff site.
  const attachment: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const file = await attachmentContent(db, id);
    if (!file) throw new NotFound('There is no kept attachment with this number.');
    // What a filer sent is never masked inside a file: each download is recorded before it is sent.
    await deps.audit.record({
      actor: staffActor(staffOf(res)),
      action: 'attachment.downloaded',
      subject: { type: 'attachment', id },
      address: req.ip,
    });
    // res.attachment writes any name safely (filename* for non-ASCII); the type stays opaque.
    res.attachment(file.filename || 'attachment');
    res.set('Content-Type', 'application/octet-stream');
    res.send(file.content);
  };

  return { mailPage, retry, makeTicket, raw, attachment };
}

import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { listByStatus } from './inbound/inbound-mail.repository';
import type { MailIntake } from './inbound/mail-intake.service';
import { countByStatus } from './outbound/outbox.repository';
import { attachmentContent, failedOutgoing } from './staff-mail.repository';

const idParam = z.object({ id: z.coerce.number().int().positive() });

const DONE: Record<string, string> = {
  processed: 'The message was processed.',
  quarantined: 'The message still cannot be processed; the reason is shown below.',
};

/** Staff pages about mail: set-aside (quarantined) messages with "try again", ignored mail, failed deliveries, downloads. */
export function staffMailHandlers(deps: { db: Db; intake: MailIntake }) {
  const { db, intake } = deps;

  const mailPage: RequestHandler = async (req, res) => {
    const [quarantined, ignored, failed, outbox] = await Promise.all([
      listByStatus(db, 'quarantined'),
      listByStatus(db, 'ignored', 30),
      failedOutgoing(db),
      countByStatus(db),
    ]);
    res.render('staff/mail', {
      title: 'Mail',
      quarantined,
      ignored,
      failed,
      outbox,
      notice: typeof req.query.done === 'string' ? (DONE[req.query.done] ?? null) : null,
    });
  };

  const retry: RequestHandler = async (req, res) => {
    const { id } = idParam.parse(req.params);
    const outcome = await intake.retry(id);
    if (!outcome) throw new NotFound('There is no set-aside message with this number.');
    res.redirect(303, `/staff/mail?done=${outcome.status}`);
  };

  // The raw message holds what the filer sent before any masking: administrators only (route table).
  const raw: RequestHandler = async (req, res) => {
    const { id } = idParam.parse(req.params);
    const row = (await db('inbound_mail').where({ id }).first('raw')) as { raw: Buffer } | undefined;
    if (!row) throw new NotFound('There is no stored message with this number.');
    res.set('Content-Type', 'message/rfc822');
    res.set('Content-Disposition', `attachment; filename="message-${id}.eml"`);
    res.send(row.raw);
  };

  // Always a download, never shown inline: a file from outside must not run in the staff site.
  const attachment: RequestHandler = async (req, res) => {
    const { id } = idParam.parse(req.params);
    const file = await attachmentContent(db, id);
    if (!file) throw new NotFound('There is no kept attachment with this number.');
    // res.attachment writes any name safely (filename* for non-ASCII); the type stays opaque.
    res.attachment(file.filename || 'attachment');
    res.set('Content-Type', 'application/octet-stream');
    res.send(file.content);
  };

  return { mailPage, retry, raw, attachment };
}

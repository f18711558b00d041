import type { Knex } from 'knex';
import { formatReference } from '../tickets/reference';
import { deliverabilityOf, type AddressDeliverability } from './inbound/mail-bounces.repository';

type Q = Knex | Knex.Transaction;

export interface AttachmentSummary {
  id: number;
  /** The raw email it came with; null for a file sent with the web form or a status-page reply. */
  inboundMailId: number | null;
  filename: string;
  contentType: string;
  size: number;
  refusedReason: string | null;
}

export interface OutgoingSummary {
  kind: string;
  subject: string;
  status: string;
  suppressedReason: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** What the ticket page shows about mail: attachments by message, mail sent and its fate, and the requester's address. */
export async function mailFactsForTicket(
  q: Q,
  ticketId: number,
  requesterEmail: string,
): Promise<{
  attachments: Map<number, AttachmentSummary[]>;
  /** Files sent on the web (no raw email), by the ticket message they came with. */
  webAttachments: Map<number, AttachmentSummary[]>;
  outgoing: OutgoingSummary[];
  deliverability: AddressDeliverability;
}> {
  const [attachmentRows, outgoingRows, deliverability] = await Promise.all([
    q('mail_attachments')
      .where({ ticket_id: ticketId })
      .orderBy('id')
      .select('id', 'inbound_mail_id', 'ticket_message_id', 'filename', 'content_type', 'size', 'refused_reason') as Promise<
      Array<{
        id: number;
        inbound_mail_id: number | null;
        ticket_message_id: number | null;
        filename: string;
        content_type: string;
        size: number;
        refused_reason: string | null;
      }>
    >,
    q('outbox')
      .where({ ticket_id: ticketId })
      .orderBy('id')
      .select('kind', 'subject', 'status', 'suppressed_reason', 'attempts', 'last_error', 'created_at', 'sent_at') as Promise<
      Array<{
        kind: string;
        subject: string;
        status: string;
        suppressed_reason: string | null;
        attempts: number;
        last_error: string | null;
        created_at: string;
        sent_at: string | null;
      }>
    >,
    deliverabilityOf(q, requesterEmail),
  ]);
  const attachments = new Map<number, AttachmentSummary[]>();
  const webAttachments = new Map<number, AttachmentSummary[]>();
  for (const r of attachmentRows) {
    const [byKey, key] =
      r.inbound_mail_id !== null ? [attachments, r.inbound_mail_id] : [webAttachments, r.ticket_message_id ?? 0];
    const list = byKey.get(key) ?? [];
    list.push({
      id: r.id,
      inboundMailId: r.inbound_mail_id,
      filename: r.filename,
      contentType: r.content_type,
      size: r.size,
      refusedReason: r.refused_reason,
    });
    byKey.set(key, list);
  }
  const outgoing = outgoingRows.map((r) => ({
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    suppressedReason: r.suppressed_reason,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
  return { attachments, webAttachments, outgoing, deliverability };
}

/** A kept attachment's bytes, for download by staff. */
export async function attachmentContent(q: Q, id: number): Promise<{ filename: string; content: Buffer } | undefined> {
  const row = (await q('mail_attachments').where({ id }).whereNotNull('content').first('filename', 'content')) as
    { filename: string; content: Buffer } | undefined;
  return row;
}

/** A stored message exactly as it arrived (before any masking), for download by administrators. */
export async function rawMessage(q: Q, inboundMailId: number): Promise<Buffer | undefined> {
  const row = (await q('inbound_mail').where({ id: inboundMailId }).first('raw')) as { raw: Buffer } | undefined;
  return row?.raw;
}

/** Outgoing mail that could not be delivered, newest first. */
export async function failedOutgoing(q: Q, limit = 50) {
  return (await q('outbox')
    .where({ status: 'failed' })
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'kind', 'to_address', 'subject', 'attempts', 'last_error', 'created_at')) as Array<{
    id: number;
    kind: string;
    to_address: string;
    subject: string;
    attempts: number;
    last_error: string | null;
    created_at: string;
  }>;
}

/** Among these delivery reports, those that refer to no message the helpdesk sent (so counted for nothing). */
export async function reportsAboutNothingSent(q: Q, inboundMailIds: number[]): Promise<Set<number>> {
  if (inboundMailIds.length === 0) return new Set();
  const tied = (await q('mail_bounces')
    .whereIn('inbound_mail_id', inboundMailIds)
    .whereNotNull('outbox_id')
    .distinct('inbound_mail_id')) as Array<{ inbound_mail_id: number }>;
  const tiedIds = new Set(tied.map((r) => r.inbound_mail_id));
  return new Set(inboundMailIds.filter((id) => !tiedIds.has(id)));
}

/** The references of tickets by id, for links from the mail page. */
export async function ticketReferences(q: Q, ids: Array<number | null>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  const rows = (await q('tickets').whereIn('id', wanted).select('id', 'reference_year')) as Array<{
    id: number;
    reference_year: number;
  }>;
  return new Map(rows.map((r) => [r.id, formatReference(r.reference_year, r.id)]));
}

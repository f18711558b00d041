import type { Knex } from 'knex';
import type { AcceptedFile } from '../attachments/uploaded-file';

type Q = Knex | Knex.Transaction;

/** A file the filer sent, as their status page lists it: by the message it came with. */
export interface SentFile {
  id: number;
  /** The message it came with: a web message's id, or for email the raw mail's id (inboundMailId). */
  ticketMessageId: number | null;
  inboundMailId: number | null;
  filename: string;
  size: number;
  /** Email only: why it was not kept (too_large | forbidden_type); web files are refused before storing. */
  refusedReason: string | null;
}

/**
 * Keeps the files sent with a web message beside email attachments (table mail_attachments), so that
 * staff list and download both the same way; a web file names its message instead of a raw email.
 */
export async function insertWebAttachments(q: Q, ticketId: number, messageId: number, files: AcceptedFile[], at: string) {
  if (files.length === 0) return;
  await q('mail_attachments').insert(
    files.map((f) => ({
      ticket_id: ticketId,
      ticket_message_id: messageId,
      inbound_mail_id: null,
      filename: f.filename,
      content_type: f.contentType,
      size: f.size,
      content: f.content,
      refused_reason: null,
      created_at: at,
    })),
  );
}

/** The first message of a ticket (the request itself), for the files sent with it. */
export async function firstMessageId(q: Q, ticketId: number): Promise<number> {
  const row = (await q('ticket_messages').where({ ticket_id: ticketId }).orderBy('id').first('id')) as { id: number };
  return row.id;
}

/** Every file sent on a ticket, by web or email, oldest first; never the bytes. */
export async function sentFiles(q: Q, ticketId: number): Promise<SentFile[]> {
  const rows = (await q('mail_attachments')
    .where({ ticket_id: ticketId })
    .orderBy('id')
    .select('id', 'ticket_message_id', 'inbound_mail_id', 'filename', 'size', 'refused_reason')) as Array<{
    id: number;
    ticket_message_id: number | null;
    inbound_mail_id: number | null;
    filename: string;
    size: number;
    refused_reason: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    ticketMessageId: r.ticket_message_id,
    inboundMailId: r.inbound_mail_id,
    filename: r.filename,
    size: Number(r.size),
    refusedReason: r.refused_reason,
  }));
}

/** The language recorded for a ticket at intake (null for tickets from before it was recorded). */
export async function recordedLanguage(q: Q, ticketId: number): Promise<string | null> {
  const row = (await q('tickets').where({ id: ticketId }).first('language')) as { language: string | null } | undefined;
  return row?.language ?? null;
}

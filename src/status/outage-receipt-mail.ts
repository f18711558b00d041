import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { translator, type Language } from '../i18n/i18n';
import type { Outbox, QueueResult } from '../mail/outbound/outbox.service';
import { renderEmail } from '../mail/outbound/render-email';
import { describeReceipt, type ReceiptFacts } from './outage-receipt';

/** A new report's receipt, to be emailed: the facts, and the two private links made with it. */
export interface ReceiptToSend {
  ticketId: number;
  to: string;
  facts: ReceiptFacts;
  receiptToken: string;
  statusToken: string;
  /** The report's language (its ticket's): the receipt is written in it. */
  language?: Language;
}

/** Emails receipts of outage reports through the outbox. */
export function createOutageReceiptMail(deps: { outbox: Outbox; profile: CourtProfile; baseUrl: string }) {
  const { outbox, profile, baseUrl } = deps;
  return {
    /**
     * Queues receipts in the caller's transaction, in the report's commit. Automatic mail: the outbox
     * holds back what passes the per-address cap, and the dedupe key keeps a receipt from going twice.
     */
    queueMany(q: Db, items: ReceiptToSend[]): Promise<QueueResult[]> {
      return outbox.queueMany(
        q,
        items.map((item) => {
          const language = item.language ?? 'en';
          const receipt = describeReceipt(item.facts, profile, language);
          const subject = `[${receipt.reference}] ${translator(language)('emails:receipt.subject', { what: receipt.what })}`;
          const body = renderEmail(
            'outage-receipt',
            {
              lang: language,
              court: profile.court,
              helpdesk: profile.helpdesk,
              baseUrl,
              receipt,
              receiptUrl: `${baseUrl}/status/receipts/${item.receiptToken}`,
              statusUrl: `${baseUrl}/requests/${item.statusToken}`,
            },
            { subject },
          );
          return {
            kind: 'outage_receipt' as const,
            dedupeKey: `outage_receipt:${item.ticketId}`,
            ticketId: item.ticketId,
            to: item.to,
            subject,
            ...body,
            messageId: outbox.newMessageId(),
            automatic: true,
          };
        }),
      );
    },
  };
}

export type OutageReceiptMail = ReturnType<typeof createOutageReceiptMail>;

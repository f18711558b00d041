import type { Db } from '../db/knex';
import type { Language } from '../i18n/i18n';
import { groupCommit } from '../db/group-commit';
import { hashStatusToken, newStatusToken } from '../tickets/status-token';
import type { TicketService } from '../tickets/tickets.service';
import type { OutageReceiptMail } from './outage-receipt-mail';
import type { OutageReportInput } from './outage-reports.schema';
import * as repo from './outage-reports.repository';
import { SCOPE_LABELS } from './outage-scopes';
import type { Outage, OutageService } from './outages.service';

/** The flag that marks a ticket as a filer's report of an outage. */
export const OUTAGE_REPORT_FLAG = 'outage_report';

/** What the filer is told once the report is stored. `receivedAt` is an ISO-8601 UTC string. */
export interface ReportReceived {
  reference: string;
  receivedAt: string;
  outageId: number | null;
  /** The private tokens: the receipt's, and the request's status page's. Only their hashes are kept. */
  receiptToken: string;
  statusToken: string;
}

export interface OutageReportIntakeDeps {
  db: Db;
  tickets: Pick<TicketService, 'storeWithin'>;
  outages: Pick<OutageService, 'findActive'>;
  /** Emails receipts; absent when mail is off (the receipt page is then the only copy). */
  receiptMail?: OutageReceiptMail;
}

// `language`: the page's, for a report sent from the form; a report by the API is read for its language.
type Pending = { input: OutageReportInput; channel: 'web' | 'api'; language?: Language };

/**
 * Stores filers' reports: each a ticket flagged `outage_report` (through the one ticket intake, so
 * masking, case numbers, search and the queue apply), its `outage_reports` row linked to the outage
 * of its scope then active, and its emailed receipt, all in one commit. Reports arriving together
 * (an outage brings thousands at once) are committed together, as requests are (see group-commit.ts).
 */
export function createOutageReportIntake(deps: OutageReportIntakeDeps) {
  const { db, tickets, outages, receiptMail } = deps;

  const write = groupCommit((take: () => Pending[]) =>
    db.transaction(async (trx) => {
      const items = take();
      // The outage each report joins is read in the commit that stores it: one read per scope per batch.
      const active = new Map<string, Outage | null>();
      for (const scope of new Set(items.map((i) => i.input.scope))) active.set(scope, await outages.findActive(scope, trx));
      const created = await tickets.storeWithin(
        trx,
        items.map(({ input, channel, language }) => ({
          input: {
            name: input.name,
            email: input.email,
            phone: input.phone,
            caseNumber: input.caseNumber,
            subject: `Outage report: ${SCOPE_LABELS[input.scope]}`,
            body: input.description,
          },
          channel,
          flags: [OUTAGE_REPORT_FLAG],
          judge: false,
          // A report of a declared outage is answered with all the others when it ends (no first-response
          // target, no overdue alerts by the thousand); one of no declared outage waits like any request.
          firstResponseDue: !active.get(input.scope),
          language: language ? { page: language } : undefined,
        })),
      );
      const receiptTokens = items.map(() => newStatusToken());
      const rows = created.map((c, k) => ({
        ticket_id: c.ticket.id,
        outage_id: active.get(items[k].input.scope)?.id ?? null,
        scope: items[k].input.scope,
        observed_at: items[k].input.observedAt ?? null,
        received_at: c.ticket.createdAt,
        receipt_token_hash: hashStatusToken(receiptTokens[k]),
      }));
      await repo.insertReports(trx, rows);
      if (receiptMail)
        await receiptMail.queueMany(
          trx,
          created.map((c, k) => {
            const outage = active.get(items[k].input.scope);
            return {
              ticketId: c.ticket.id,
              to: c.ticket.requesterEmail,
              receiptToken: receiptTokens[k],
              statusToken: c.statusToken,
              language: c.language,
              facts: {
                reference: c.ticket.reference,
                requesterName: c.ticket.requesterName,
                scope: rows[k].scope,
                caseNumbers: c.caseNumbers.map((n) => n.number),
                description: c.bodyText,
                receivedAt: rows[k].received_at,
                observedAt: rows[k].observed_at,
                outage: outage
                  ? { scope: outage.scope, message: outage.message, startedAt: outage.startedAt, endedAt: null }
                  : null,
              },
            };
          }),
        );
      return created.map((c, k): ReportReceived => ({
        reference: c.ticket.reference,
        receivedAt: rows[k].received_at,
        outageId: rows[k].outage_id,
        receiptToken: receiptTokens[k],
        statusToken: c.statusToken,
      }));
    }),
  );

  return {
    /** Stores a report and queues its receipt; what the filer is told. */
    report: (input: OutageReportInput, channel: 'web' | 'api', language?: Language): Promise<ReportReceived> =>
      write({ input, channel, language }),
  };
}

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import type { Language } from '../i18n/i18n';
import type { Logger } from '../logger';
import type { StaffUser } from '../staff/staff.repository';
import { hashStatusToken, looksLikeStatusToken } from '../tickets/status-token';
import type { TicketWorkService } from '../tickets/ticket-work.service';
import type { TicketService } from '../tickets/tickets.service';
import { courtTime, describeReceipt, messageAt, type ReceiptFacts, type ReceiptText } from './outage-receipt';
import type { OutageReceiptMail } from './outage-receipt-mail';
import { createOutageReportAnswers } from './outage-report-answers';
import { createOutageReportIntake } from './outage-report-intake';
import * as repo from './outage-reports.repository';
import { isOutageScope, SCOPE_LABELS } from './outage-scopes';
import type { Outage, OutageService } from './outages.service';

export type { ReportReceived } from './outage-report-intake';

/** The open reports of one outage (or of none: `outageId` null), as the staff queue shows them in one row. */
export interface ReportGroup {
  outageId: number | null;
  open: number;
  url: string;
  /** What is down and since when, in words; null for reports received when no outage was declared. */
  outage: { what: string; message: string; since: string; ended: boolean } | null;
}

export interface OutageReportServiceDeps {
  db: Db;
  profile: CourtProfile;
  tickets: Pick<TicketService, 'storeWithin'>;
  outages: OutageService;
  work: Pick<TicketWorkService, 'ticketByReference' | 'reply'>;
  receiptMail?: OutageReceiptMail;
  now: () => Date;
  log?: Pick<Logger, 'error'>;
  /** How long answering all reports waits before going on in the background (tests shorten it). */
  answerWaitMs?: number;
}

// The queue's outage rows are counted at most this often (or at once after a staff change), as the
// queue's status counts are: during a flood every queue page would otherwise count thousands of reports.
const GROUPS_FRESH_MS = 5_000;
const LIST_PAGE = 100;

const labelOf = (scope: string) => (isOutageScope(scope) ? SCOPE_LABELS[scope] : scope);

/** Filers' reports of outages: intake with receipts, the receipt page, the staff's view, answering all. */
export function createOutageReportService(deps: OutageReportServiceDeps) {
  const { db, profile, outages } = deps;
  const intake = createOutageReportIntake(deps);
  const answers = createOutageReportAnswers({ ...deps, waitMs: deps.answerWaitMs });
  let groupsCache: { at: number; groups: Promise<ReportGroup[]> } | null = null;

  const describeOutage = (outage: Outage) => ({
    what: labelOf(outage.scope),
    message: outage.message,
    since: courtTime(outage.startedAt, profile.timezone),
    ended: outage.endedAt !== null,
  });

  async function countGroups(): Promise<ReportGroup[]> {
    const counts = await repo.countActiveReports(db);
    const groups = await Promise.all(
      counts.map(async ({ outageId, open }) => ({
        outageId,
        open,
        url: `/staff/status/${outageId ?? 'none'}/reports`,
        outage: outageId === null ? null : describeOutage(await outages.get(outageId)),
      })),
    );
    // Outages first, latest declared first; the reports of no outage last.
    return groups.sort((a, b) => (b.outageId ?? 0) - (a.outageId ?? 0));
  }

  return {
    report: intake.report,
    answerAll: (outageId: number, staff: StaffUser, body: string, formKey: string) =>
      answers.answerAll(outageId, staff, body, formKey),
    resumeAnswers: () => answers.resumeAnswers(),

    /** A receipt by its private token, from the database alone; 404 for any token that is not one. */
    async receipt(token: string, language: Language = 'en'): Promise<ReceiptText> {
      const row = looksLikeStatusToken(token) ? await repo.findReceipt(db, hashStatusToken(token)) : undefined;
      if (!row) throw new NotFound('There is no receipt at this address. Check that the link is complete.');
      let outage: ReceiptFacts['outage'] = null;
      if (row.outageId !== null) {
        const [declared, events] = await Promise.all([outages.get(row.outageId), outages.events(row.outageId)]);
        outage = {
          scope: declared.scope,
          message: messageAt(events, row.receivedAt, declared.message),
          startedAt: declared.startedAt,
          endedAt: declared.endedAt,
        };
      }
      return describeReceipt({ ...row, outage }, profile, language);
    },

    /** One row per outage with open reports (and one for reports of no outage), for the staff queue. */
    groups(fresh = false): Promise<ReportGroup[]> {
      const at = performance.now();
      if (!groupsCache || fresh || at - groupsCache.at >= GROUPS_FRESH_MS) {
        const groups = countGroups();
        groupsCache = { at, groups };
        groups.catch(() => {
          if (groupsCache?.groups === groups) groupsCache = null;
        });
      }
      return groupsCache.groups;
    },

    /** The reports of an outage (or of none), a page at a time, with their counts and the answers sent. */
    async reportsOf(outageId: number | null, before?: number) {
      const outage = outageId === null ? null : await outages.get(outageId);
      const [rows, counts, sent] = await Promise.all([
        repo.listReports(db, outageId, before, LIST_PAGE + 1),
        repo.countReports(db, outageId),
        outageId === null ? Promise.resolve([]) : repo.listAnswers(db, outageId),
      ]);
      const page = rows.slice(0, LIST_PAGE);
      return {
        outage: outage && {
          ...describeOutage(outage),
          id: outage.id,
          endedAt: outage.endedAt ? courtTime(outage.endedAt, profile.timezone) : null,
        },
        counts,
        reports: page.map((r) => ({
          ...r,
          what: labelOf(r.scope),
          receivedAt: courtTime(r.receivedAt, profile.timezone),
          observedAt: r.observedAt ? courtTime(r.observedAt, profile.timezone) : null,
        })),
        before: rows.length > LIST_PAGE ? page[page.length - 1].ticketId : null,
        answers: sent.map((a) => ({ ...a, createdAt: courtTime(a.createdAt, profile.timezone) })),
      };
    },
  };
}

export type OutageReportService = ReturnType<typeof createOutageReportService>;

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { topicLabel } from '../faq/faq-topics';
import { formatReference } from '../tickets/reference';
import { businessClock } from './business-clock';
import { courtIso, offsetSegments, type ReportRange } from './report-range';
import { exportPage, type ExportRow, type ReportFilters } from './reports.repository';

const PAGE = 2000;
const DAY_MS = 86_400_000;

/**
 * The columns of /staff/reports/export.csv: one row per request received in the range, with what the
 * report counts it as. No names, addresses or words of the request: a report needs none of them.
 */
export const EXPORT_COLUMNS = [
  'reference',
  'received',
  'court_date',
  'court_hour',
  'channel',
  'counted_as',
  'topic',
  'tags',
  'status',
  'refused_as',
  'flags',
  'first_response_due',
  'first_response',
  'first_response_business_hours',
  'first_response_within_target',
  'closed',
  'business_hours_to_resolve',
  'resolved_within_target',
  'merged',
] as const;

/** A CSV field: quoted when it must be (RFC 4180), and never read as a formula by a spreadsheet. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (fields: string[]) => `${fields.map(csvField).join(',')}\r\n`;

/** The export of a report's requests, as CSV lines, a page of requests at a time. */
export function createReportExport(deps: { db: Db; profile: CourtProfile; now: () => Date }) {
  return async function* exportLines(range: ReportRange, filters: ReportFilters): AsyncGenerator<string> {
    const now = deps.now();
    const startMs = Date.parse(range.startsAt);
    // Requests are answered and closed after they arrive, up to now: the court's clock covers that too.
    const lastMs = Math.max(now.getTime(), Date.parse(range.endsAt)) + DAY_MS;
    const local = courtIso(offsetSegments(range.zone, startMs, lastMs));
    const clock = businessClock(deps.profile, startMs, lastMs);
    const hoursBetween = (from: string, to: string) =>
      (Math.max(0, clock(Date.parse(to)) - clock(Date.parse(from))) / 3_600_000).toFixed(2);
    const at = (iso: string | null) => (iso ? local(Date.parse(iso)) : '');
    const nowIso = now.toISOString();

    const line = (row: ExportRow): string => {
      const received = local(Date.parse(row.createdAt));
      const outage = row.flags.includes('outage_report');
      const resolved = row.resolutionBusinessHours;
      const withinTarget = !row.firstResponseDueAt
        ? ''
        : row.firstResponseAt
          ? row.firstResponseAt <= row.firstResponseDueAt
            ? 'yes'
            : 'no'
          : row.firstResponseDueAt < nowIso
            ? 'no'
            : '';
      return csvLine([
        formatReference(row.referenceYear, row.id),
        received,
        received.slice(0, 10),
        received.slice(11, 13),
        row.channel,
        outage ? 'outage_report' : row.channel,
        row.topic === null ? '' : (topicLabel(row.topic) ?? row.topic),
        row.tags.join('; '),
        row.status,
        row.status === 'rejected' ? (row.flags.find((f) => f === 'legal_advice' || f === 'judge_contact') ?? '') : '',
        row.flags.join(' '),
        at(row.firstResponseDueAt),
        at(row.firstResponseAt),
        row.firstResponseDueAt && row.firstResponseAt ? hoursBetween(row.createdAt, row.firstResponseAt) : '',
        withinTarget,
        at(row.closedAt),
        resolved === null ? '' : resolved.toFixed(2),
        resolved === null ? '' : resolved <= deps.profile.resolutionBusinessHours ? 'yes' : 'no',
        row.mergedIntoId === null ? '' : 'yes',
      ]);
    };

    yield csvLine([...EXPORT_COLUMNS]);
    const span = { startsAt: range.startsAt, endsAt: range.endsAt };
    let after: { createdAt: string; id: number } | null = null;
    for (;;) {
      const rows = await exportPage(deps.db, span, filters, after, PAGE);
      if (rows.length === 0) return;
      yield rows.map(line).join('');
      const last = rows[rows.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
      if (rows.length < PAGE) return;
    }
  };
}

export type ReportExport = ReturnType<typeof createReportExport>;

import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import { topicLabel, TOPICS } from '../faq/faq-topics';
import { parseOrThrow } from '../http/validate';
import type { ReportExport } from './report-export';
import { reportPage } from './report-page';
import { defaultRange, MAX_RANGE_DAYS } from './report-range';
import { reportMessages, reportQuerySchema, type ReportQuery } from './reports.schema';
import type { Reports } from './reports.service';

const TAG_SUGGESTIONS = 200;

/** Waits until a slow reader has taken what was written, or has gone. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The query's own text fields, to show the form again as it was filled in. */
function formOf(query: Request['query'], fallback: { from: string; to: string }) {
  const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : '');
  return { from: text('from') || fallback.from, to: text('to') || fallback.to, topic: text('topic'), tag: text('tag') };
}

/** The address of the same report's export (or of the page), with its dates and filters. */
function addressOf(path: string, query: ReportQuery & { from: string; to: string }): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.topic) params.set('topic', query.topic);
  if (query.tag) params.set('tag', query.tag);
  return `${path}?${params.toString()}`;
}

/** /staff/reports and its CSV export (SPEC §13): supervisors and administrators (src/http/routes.ts). */
export function reportsHandlers(deps: { reports: Reports; exportLines: ReportExport; timezone: string; now: () => Date }) {
  const { reports } = deps;

  const page: RequestHandler = async (req, res) => {
    const fallback = defaultRange(deps.now(), deps.timezone);
    const form = formOf(req.query, fallback);
    const view = {
      title: 'Reports',
      form,
      topics: TOPICS,
      tags: await reports.tagSuggestions(TAG_SUGGESTIONS),
      maxDays: MAX_RANGE_DAYS,
    };
    try {
      const query = parseOrThrow(reportQuerySchema, req.query, reportMessages);
      const { range, filters } = await reports.readQuery(query);
      const report = await reports.build(range, filters);
      const shown = { from: range.from, to: range.to, topic: filters.topic, tag: filters.tag };
      res.render('staff/reports', {
        ...view,
        form: { ...shown, topic: shown.topic ?? '', tag: shown.tag ?? '' },
        filterWords: [
          ...(filters.topic ? [`topic “${topicLabel(filters.topic)}”`] : []),
          ...(filters.tag ? [`tag “${filters.tag}”`] : []),
        ].join(', '),
        errors: [],
        report: reportPage(report),
        filtered: Boolean(filters.topic || filters.tag),
        exportUrl: addressOf('/staff/reports/export.csv', shown),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      res
        .status(400)
        .render('staff/reports', { ...view, errors: error.toErrors(), report: null, filtered: false, exportUrl: null });
    }
  };

  /** The range and filters of an export; bad ones answered with the problems themselves as the message. */
  async function readExportQuery(req: Request) {
    try {
      return await reports.readQuery(parseOrThrow(reportQuerySchema, req.query, reportMessages));
    } catch (error) {
      // The error page shows one message: the problems, in words (a JSON client gets each with its code).
      if (error instanceof AppError && error.status === 400)
        throw new AppError(
          400,
          error.code,
          error
            .toErrors()
            .map((e) => e.message)
            .join(' '),
          error.toErrors(),
        );
      throw error;
    }
  }

  /** Every request of the range, one CSV row each, written a page at a time as the reader takes them. */
  const exportCsv: RequestHandler = async (req, res) => {
    const { range, filters } = await readExportQuery(req);
    const name = `helpdesk-requests-${range.from}-to-${range.to}.csv`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      for await (const chunk of deps.exportLines(range, filters)) {
        if (closed) return;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
    } catch (error) {
      // Part of the file has gone already: cut it off, so that the reader sees it is incomplete.
      res.destroy();
      throw error;
    }
    res.end();
  };

  return { page, exportCsv };
}

import { zoneName } from '../calendar/describe-hours';
import { barChart, columnChart } from './report-charts';
import { callbacksSection, faqSection, firstResponseSection, flagsSection, resolutionSection } from './report-outcomes';
import { day, dayTicks, hourName, hours, n, plural, rangeInWords, share, WEEKDAYS } from './report-words';
import type { Report } from './reports.service';

/** A table of the page: a caption, the column heads, rows of cells (the first cell of a row heads it). */
export interface PageTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/** One section of the report page: a sentence saying what it shows, a chart and its numbers. */
export interface PageSection {
  id: string;
  title: string;
  sentence: string;
  chart: string;
  legend: Array<{ key: string; name: string }>;
  table: PageTable;
  /** A longer table (a row per day), folded away under `summary`. */
  more?: { summary: string; table: PageTable };
}

const CHANNEL_SERIES = [
  { key: 'web', name: 'Web form' },
  { key: 'email', name: 'Email' },
  { key: 'api', name: 'API' },
  { key: 'outage', name: 'Outage report' },
] as const;

function requestsSection(report: Report): PageSection {
  const { days, totals, total } = report.requests;
  const busiest = days.reduce((best, d) => (d.total > best.total ? d : best), days[0]);
  const parts = [
    `${n(totals.web)} through the web form`,
    `${n(totals.email)} by email`,
    `${n(totals.api)} through the API`,
    `${n(totals.outage)} ${totals.outage === 1 ? 'was a report' : 'were reports'} of a problem with CM/ECF`,
    ...(totals.other > 0 ? [`${n(totals.other)} in other ways`] : []),
  ];
  const sentence =
    total === 0
      ? 'No requests arrived in these dates.'
      : `${plural(total, 'request', 'requests')} arrived in these ${plural(days.length, 'day', 'days')}: ${parts.join(', ')}. The busiest day was ${day(busiest.date)}, with ${n(busiest.total)}.`;
  const rows = [
    ['Web form', n(totals.web), share(totals.web, total)],
    ['Email', n(totals.email), share(totals.email, total)],
    ['API', n(totals.api), share(totals.api, total)],
    ['Outage report', n(totals.outage), share(totals.outage, total)],
    ...(totals.other > 0 ? [['Other', n(totals.other), share(totals.other, total)]] : []),
    ['All requests', n(total), total > 0 ? '100%' : '–'],
  ];
  return {
    id: 'requests',
    title: 'Requests per day, by how they came in',
    sentence,
    chart: columnChart({
      label: `Requests per day, stacked by how they came in: web form, email, API, outage report. ${n(total)} in all.`,
      series: [...CHANNEL_SERIES],
      columns: days.map((d) => [d.web, d.email, d.api, d.outage]),
      ticks: dayTicks(days.map((d) => d.date)),
    }),
    legend: [...CHANNEL_SERIES],
    table: { caption: 'Requests by how they came in', head: ['Came in by', 'Requests', 'Share'], rows },
    more: {
      summary: `The numbers for each day (${plural(days.length, 'day', 'days')})`,
      table: {
        caption: 'Requests per day, by how they came in',
        head: ['Day', 'Web form', 'Email', 'API', 'Outage report', 'All'],
        rows: days.map((d) => [day(d.date, 'ccc, LLL d, yyyy'), n(d.web), n(d.email), n(d.api), n(d.outage), n(d.total)]),
      },
    },
  };
}

function topicsSection(report: Report): PageSection {
  const total = report.requests.total;
  const top = report.topics
    .filter((t) => t.id !== null)
    .reduce((best, t) => (t.requests > best.requests ? t : best), { label: '', requests: 0 });
  const sentence =
    total === 0
      ? 'No requests arrived in these dates.'
      : top.requests > 0
        ? `Each request's topic is an FAQ category, proposed when it arrives and changed by staff. The most common was "${top.label}": ${n(top.requests)} (${share(top.requests, total)}).`
        : "Each request's topic is an FAQ category, proposed when it arrives and changed by staff. None of these requests has a topic yet.";
  return {
    id: 'topics',
    title: 'Requests by topic',
    sentence,
    chart: barChart({
      label: 'Requests by topic, one bar per FAQ category.',
      rows: report.topics.map((t) => ({ text: t.label, value: t.requests })),
    }),
    legend: [],
    table: {
      caption: 'Requests by topic',
      head: ['Topic', 'Requests', 'Share'],
      rows: report.topics.map((t) => [t.label, n(t.requests), share(t.requests, total)]),
    },
  };
}

function hoursSection(report: Report, zone: string): PageSection {
  const total = report.requests.total;
  const busiest = report.hours.reduce((best, count, h) => (count > report.hours[best] ? h : best), 0);
  const sentence =
    total === 0
      ? 'No requests arrived in these dates.'
      : `Requests by the hour they arrived, on the court's clock (${zoneName(zone)}). The busiest hour was ${hourName(busiest)} to ${hourName((busiest + 1) % 24)}, with ${n(report.hours[busiest])} (${share(report.hours[busiest], total)}).`;
  return {
    id: 'hours',
    title: 'Busiest hours',
    sentence,
    chart: columnChart({
      label: "Requests by the hour of the day they arrived, court's time, midnight to midnight.",
      series: [{ key: 'web', name: 'Requests' }],
      columns: report.hours.map((count) => [count]),
      ticks: [0, 3, 6, 9, 12, 15, 18, 21].map((h) => ({ index: h, text: hourName(h), minor: h % 6 !== 0 })),
    }),
    legend: [],
    table: {
      caption: 'Requests by the hour of the day they arrived',
      head: ['Hour', 'Requests', 'Share'],
      rows: report.hours.map((count, h) => [`${hourName(h)} to ${hourName((h + 1) % 24)}`, n(count), share(count, total)]),
    },
  };
}

function weekdaysSection(report: Report): PageSection {
  const total = report.requests.total;
  const busiest = report.weekdays.reduce((best, count, d) => (count > report.weekdays[best] ? d : best), 0);
  const sentence =
    total === 0
      ? 'No requests arrived in these dates.'
      : `Requests by the day of the week they arrived, on the court's calendar. The busiest was ${WEEKDAYS[busiest]}, with ${n(report.weekdays[busiest])} (${share(report.weekdays[busiest], total)}); a range that is not whole weeks has more of some days than others.`;
  return {
    id: 'weekdays',
    title: 'Busiest days of the week',
    sentence,
    chart: barChart({
      label: 'Requests by the day of the week they arrived, Monday to Sunday.',
      rows: report.weekdays.map((count, d) => ({ text: WEEKDAYS[d], value: count })),
    }),
    legend: [],
    table: {
      caption: 'Requests by the day of the week',
      head: ['Day of the week', 'Requests', 'Share'],
      rows: report.weekdays.map((count, d) => [WEEKDAYS[d], n(count), share(count, total)]),
    },
  };
}

/** The key figures at the top of the page. */
function keyFigures(report: Report): Array<{ term: string; value: string }> {
  const f = report.firstResponse;
  return [
    { term: 'Requests', value: n(report.requests.total) },
    { term: 'First reply within the target', value: share(f.inTime, f.withTarget) },
    { term: 'Median time to a first reply', value: f.medianHours === null ? '–' : `${hours(f.medianHours)} business hours` },
    { term: 'Resolved within the target', value: share(report.resolution.inTime, report.resolution.resolved) },
    {
      term: 'Median time to resolve',
      value: report.resolution.medianHours === null ? '–' : `${hours(report.resolution.medianHours)} business hours`,
    },
    { term: 'Refused', value: n(report.flags.refusedLegalAdvice + report.flags.refusedJudgeContact) },
    { term: 'Callbacks booked', value: n(report.callbacks.booked) },
    { term: 'FAQ readings no request followed', value: share(report.faq.views - report.faq.followed, report.faq.views) },
  ];
}

/** What the report page shows: the key figures and a section per figure of SPEC §13. */
export function reportPage(report: Report) {
  return {
    dates: rangeInWords(report.range.from, report.range.to),
    keyFigures: keyFigures(report),
    sections: [
      requestsSection(report),
      topicsSection(report),
      firstResponseSection(report),
      resolutionSection(report),
      flagsSection(report),
      callbacksSection(report),
      faqSection(report),
      hoursSection(report, report.range.zone),
      weekdaysSection(report),
    ],
  };
}

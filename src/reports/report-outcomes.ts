import { barChart, columnChart } from './report-charts';
import type { PageSection } from './report-page';
import { dayTicks, day, hours, n, plural, share } from './report-words';
import { RESOLUTION_GROUPS, type Report } from './reports.service';

// The sections of the report page about what became of requests: first replies, time to resolve,
// refusals and review flags, callbacks, and the FAQ answers read instead of writing in.

export function firstResponseSection(report: Report): PageSection {
  const f = report.firstResponse;
  const target = plural(f.targetHours, 'business hour', 'business hours');
  const rows = [
    { text: `Answered within ${target}`, value: f.inTime },
    { text: 'Answered later', value: f.late },
    { text: 'Not answered yet, past the target', value: f.overdue },
    { text: 'Not answered yet, target still ahead', value: f.notYetDue },
  ];
  const sentence =
    f.withTarget === 0
      ? 'No request with a response target arrived in these dates (refused requests have none).'
      : `Of ${plural(f.withTarget, 'request', 'requests')} with a target of a first reply within ${target}, ${n(f.inTime)} (${share(f.inTime, f.withTarget)}) had it in time.` +
        (f.medianHours === null
          ? ' None has had a reply yet.'
          : ` Half of the ${n(f.answered)} answered had their first reply within ${hours(f.medianHours)} business hours (the median); hours when the helpdesk is closed do not count.`);
  return {
    id: 'first-responses',
    title: 'First replies',
    sentence,
    chart: barChart({ label: `First replies against the target of ${target}.`, rows }),
    legend: [],
    table: {
      caption: 'First replies against the target',
      head: ['Requests', 'Number', 'Share'],
      rows: [
        ...rows.map((r) => [r.text, n(r.value), share(r.value, f.withTarget)]),
        ['Median time to a first reply (business hours)', hours(f.medianHours), ''],
      ],
    },
  };
}

export function resolutionSection(report: Report): PageSection {
  const r = report.resolution;
  const bounds = [0, ...RESOLUTION_GROUPS];
  const rows = r.groups.map((count, k) => ({
    text:
      k === 0
        ? `Under ${plural(bounds[1], 'business hour', 'business hours')}`
        : k === bounds.length - 1
          ? `${n(bounds[k])} business hours or more`
          : `${n(bounds[k])} to ${n(bounds[k + 1])} business hours`,
    value: count,
  }));
  const target = plural(r.targetHours, 'business hour', 'business hours');
  const sentence =
    r.resolved === 0
      ? 'None of the requests that arrived in these dates has been resolved yet.'
      : `${plural(r.resolved, 'request', 'requests')} that arrived in these dates ${r.resolved === 1 ? 'is' : 'are'} resolved or closed, by staff or by the filer saying the problem is solved. ${n(r.inTime)} (${share(r.inTime, r.resolved)}) took no more than the target of ${target}. Half took ${hours(r.medianHours)} business hours or less (the median). Time waiting for the filer to answer and hours when the helpdesk is closed do not count; merged duplicates are left out.`;
  return {
    id: 'resolution',
    title: 'Time to resolve',
    sentence,
    chart: barChart({ label: 'Resolved requests by the business hours they took, waiting for the filer not counted.', rows }),
    legend: [],
    table: {
      caption: 'Resolved requests by the business hours they took',
      head: ['Took', 'Requests', 'Share'],
      rows: [
        ...rows.map((row) => [row.text, n(row.value), share(row.value, r.resolved)]),
        [`Within the target of ${target}`, n(r.inTime), share(r.inTime, r.resolved)],
        ['Median time to resolve (business hours)', hours(r.medianHours), ''],
      ],
    },
  };
}

export function flagsSection(report: Report): PageSection {
  const f = report.flags;
  const rows = [
    { text: 'Refused: legal advice', value: f.refusedLegalAdvice },
    { text: 'Refused: a message for a judge', value: f.refusedJudgeContact },
    { text: 'Accepted, flagged as legal advice', value: f.acceptedLegalAdvice },
    { text: 'Accepted, flagged as a message for a judge', value: f.acceptedJudgeContact },
    { text: 'Waiting for staff review', value: f.needsReview },
    { text: 'Filer asked for a second look', value: f.reviewRequested },
  ];
  const refused = f.refusedLegalAdvice + f.refusedJudgeContact;
  const sentence = `${plural(refused, 'request was', 'requests were')} refused as outside the helpdesk's work (${n(f.refusedLegalAdvice)} as legal advice, ${n(f.refusedJudgeContact)} as a message for a judge). "Accepted, flagged" requests had such a part declined, or were refused and then reinstated by staff. ${plural(f.needsReview, 'request still waits', 'requests still wait')} for staff to review what the automatic check was unsure of; ${plural(f.reviewRequested, 'filer', 'filers')} asked for a second look at a refusal.`;
  return {
    id: 'refusals',
    title: 'Refusals and review flags, by reason',
    sentence,
    chart: barChart({ label: 'Refused and flagged requests by reason.', rows }),
    legend: [],
    table: {
      caption: 'Refused and flagged requests by reason',
      head: ['Reason', 'Requests'],
      rows: rows.map((r) => [r.text, n(r.value)]),
    },
  };
}

export function callbacksSection(report: Report): PageSection {
  const c = report.callbacks;
  const rows = [
    { text: 'Booked', value: c.booked },
    { text: 'Completed', value: c.completed },
    { text: 'No answer at least once', value: c.noAnswer },
    { text: 'Unreachable after three tries', value: c.unreachable },
    { text: 'Cancelled by the filer', value: c.cancelled },
    { text: 'Still to call', value: c.upcoming },
    { text: 'Call time past, no outcome recorded', value: c.awaitingOutcome },
  ];
  const sentence =
    c.booked === 0
      ? 'No callback was booked in these dates.'
      : `${plural(c.booked, 'callback was', 'callbacks were')} booked in these dates: ${n(c.completed)} completed, ${n(c.noAnswer)} went unanswered at least once (the call then moves to a later time), ${n(c.unreachable)} could not reach the filer after three tries and ${n(c.cancelled)} ${c.cancelled === 1 ? 'was' : 'were'} cancelled.`;
  return {
    id: 'callbacks',
    title: 'Callbacks',
    sentence,
    chart: barChart({ label: 'Callbacks booked in these dates and what became of them.', rows }),
    legend: [],
    table: {
      caption: 'Callbacks booked and their outcomes',
      head: ['Callbacks', 'Number'],
      rows: rows.map((r) => [r.text, n(r.value)]),
    },
  };
}

const FAQ_SERIES = [
  { key: 'deflected', name: 'Read, no request followed' },
  { key: 'followed', name: 'Read, then a request' },
];

export function faqSection(report: Report): PageSection {
  const f = report.faq;
  const sentence =
    f.views === 0
      ? 'No FAQ answer was read in these dates.'
      : `FAQ answers were read ${plural(f.views, 'time', 'times')}; ${n(f.followed)} of those readings ${f.followed === 1 ? 'was' : 'were'} followed within the hour by a request from the same browser, so ${share(f.views - f.followed, f.views)} did not lead to a request. Filers typed ${plural(f.searches, 'search', 'searches')} (${n(f.noResults)} found nothing; ${n(f.searchesFollowed)} ${f.searchesFollowed === 1 ? 'was' : 'were'} followed by a request).`;
  return {
    id: 'faq',
    title: 'FAQ deflection',
    sentence,
    chart: columnChart({
      label: 'FAQ answers read per day, stacked: readings no request followed, and readings a request followed.',
      series: FAQ_SERIES,
      columns: f.days.map((d) => [Math.max(0, d.views - d.followed), d.followed]),
      ticks: dayTicks(f.days.map((d) => d.date)),
    }),
    legend: FAQ_SERIES,
    table: {
      caption: 'FAQ use',
      head: ['FAQ use', 'Number'],
      rows: [
        ['Answers read', n(f.views)],
        ['Readings followed by a request', n(f.followed)],
        ['Readings no request followed', `${n(f.views - f.followed)} (${share(f.views - f.followed, f.views)})`],
        ['Searches', n(f.searches)],
        ['Searches that found nothing', n(f.noResults)],
        ['Searches followed by a request', n(f.searchesFollowed)],
      ],
    },
    more: {
      summary: `The numbers for each day (${plural(f.days.length, 'day', 'days')})`,
      table: {
        caption: 'FAQ answers read per day',
        head: ['Day', 'Answers read', 'Followed by a request'],
        rows: f.days.map((d) => [day(d.date, 'ccc, LLL d, yyyy'), n(d.views), n(d.followed)]),
      },
    },
  };
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Agent } from 'supertest';
import { businessMillisBetween } from '../../src/calendar/business-time';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, signedInAgent } from '../helpers/factories';
import {
  courtDate,
  monthOfRequests,
  MONTH,
  seedCallbacks,
  seedFaqReadings,
  seedRequests,
  type SeededRequest,
} from '../helpers/report-month';

// Wednesday April 15, 2026, 11:00 in Los Angeles: March is over, some requests are still unanswered.
const now = () => new Date('2026-04-15T18:00:00Z');

/** The cells of the table captioned `caption`, a row per array (header row left out). */
function tableRows(html: string, caption: string): string[][] {
  const at = html.indexOf(`<caption>${caption}</caption>`);
  assert.ok(at >= 0, `no table "${caption}" on the page`);
  const body = html.slice(at, html.indexOf('</table>', at));
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()),
  );
  return rows.slice(1);
}

const count = (cell: string) => Number(cell.replace(/,/g, ''));

/** The rows of a CSV export, as objects by column name. */
function csvRows(text: string): Array<Record<string, string>> {
  const lines: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), (i += 1));
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n') (row.push(field), lines.push(row), (row = []), (field = ''));
    else if (c !== '\r') field += c;
  }
  const [head, ...rest] = lines;
  return rest.map((cells) => Object.fromEntries(head.map((name, k) => [name, cells[k]])));
}

const medianOf = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

describe('staff reports', function () {
  this.timeout(60_000);
  let t: TestApp;
  let supervisor: Agent;
  let requests: SeededRequest[];
  const zone = () => t.config.profile.timezone;
  const inMarch = (r: SeededRequest) =>
    courtDate(r.createdAt, zone()) >= MONTH.from && courtDate(r.createdAt, zone()) <= MONTH.to;
  const countedAs = (r: SeededRequest) => (r.outage ? 'outage_report' : r.channel);

  beforeEach(async () => {
    t = await buildTestApp({ now });
    requests = monthOfRequests();
    await seedRequests(t, requests);
    await seedCallbacks(t);
    await seedFaqReadings(t);
    supervisor = await signedInAgent(t, await buildStaff(t, { role: 'supervisor' }));
  });
  afterEach(() => t.close());

  it('is for supervisors and administrators only', async () => {
    for (const role of ['agent', 'editor'] as const) {
      const agent = await signedInAgent(t, await buildStaff(t, { role }));
      assert.equal((await agent.get('/staff/reports')).status, 403, role);
      assert.equal((await agent.get('/staff/reports/export.csv')).status, 403, role);
    }
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    assert.equal((await admin.get('/staff/reports')).status, 200);
    assert.equal((await supervisor.get('/staff/reports')).status, 200);
  });

  it('counts a month across the change to daylight time by the court’s days, as a direct count does', async () => {
    const res = await supervisor.get(`/staff/reports?from=${MONTH.from}&to=${MONTH.to}`);
    assert.equal(res.status, 200);
    const march = requests.filter(inMarch);

    // Per day and channel: the table holds a row for each of the 31 days.
    const days = tableRows(res.text, 'Requests per day, by how they came in');
    assert.equal(days.length, 31);
    for (const [k, cells] of days.entries()) {
      const date = DateTime.fromISO(MONTH.from).plus({ days: k }).toISODate() as string;
      assert.equal(cells[0], DateTime.fromISO(date).toFormat('ccc, LLL d, yyyy'));
      const ofDay = march.filter((r) => courtDate(r.createdAt, zone()) === date);
      const expected = ['web', 'email', 'api', 'outage_report'].map((c) => ofDay.filter((r) => countedAs(r) === c).length);
      assert.deepEqual(cells.slice(1).map(count), [...expected, ofDay.length], `requests on ${date}`);
    }
    // March 8 has 23 hours: 01:59 PST and 03:00 PDT are both on it, and so is 23:59 PDT.
    assert.equal(count(days[7][5]), march.filter((r) => courtDate(r.createdAt, zone()) === '2026-03-08').length);
    assert.ok(count(days[7][5]) >= 3);

    // By the hour of the court's day: 01:59 PST counts in 1 a.m., 03:00 PDT in 3 a.m.
    const hours = tableRows(res.text, 'Requests by the hour of the day they arrived');
    const byHour = (h: number) => march.filter((r) => DateTime.fromISO(r.createdAt, { zone: zone() }).hour === h).length;
    assert.deepEqual(
      hours.map((cells) => count(cells[1])),
      Array.from({ length: 24 }, (_, h) => byHour(h)),
    );

    // Topics, refusals and flags, callbacks, FAQ use.
    const topics = new Map(tableRows(res.text, 'Requests by topic').map((cells) => [cells[0], count(cells[1])]));
    assert.equal(topics.get('Filing'), march.filter((r) => r.topic === 'filing').length);
    assert.equal(topics.get('No topic'), march.filter((r) => !r.topic).length);
    const reasons = new Map(
      tableRows(res.text, 'Refused and flagged requests by reason').map((cells) => [cells[0], count(cells[1])]),
    );
    assert.equal(reasons.get('Refused: legal advice'), 1);
    assert.equal(reasons.get('Refused: a message for a judge'), 1);
    assert.equal(reasons.get('Waiting for staff review'), 1);
    const callbacks = new Map(
      tableRows(res.text, 'Callbacks booked and their outcomes').map((cells) => [cells[0], count(cells[1])]),
    );
    assert.deepEqual(
      [
        'Booked',
        'Completed',
        'No answer at least once',
        'Unreachable after three tries',
        'Cancelled by the filer',
        'Still to call',
      ].map((k) => callbacks.get(k)),
      [5, 2, 2, 1, 1, 1],
    );
    const faq = new Map(tableRows(res.text, 'FAQ use').map((cells) => [cells[0], cells[1]]));
    assert.equal(faq.get('Answers read'), '22');
    assert.equal(faq.get('Readings followed by a request'), '3');
    assert.equal(faq.get('Searches'), '8');

    // First replies against the 2-hour target, and medians in business hours, against the calendar walk.
    const profile = t.config.profile;
    const withTarget = march.filter((r) => !r.refused);
    const answered = withTarget.filter((r) => r.answeredAt);
    const businessHours = (from: string, to: string) => businessMillisBetween(profile, new Date(from), new Date(to)) / 3_600_000;
    const replyHours = answered.map((r) => businessHours(r.createdAt, r.answeredAt as string));
    const replies = new Map(tableRows(res.text, 'First replies against the target').map((cells) => [cells[0], cells[1]]));
    assert.equal(count(replies.get('Answered within 2 business hours') as string), replyHours.filter((h) => h <= 2).length);
    assert.equal(count(replies.get('Answered later') as string), replyHours.filter((h) => h > 2).length);
    assert.equal(replies.get('Median time to a first reply (business hours)'), medianOf(replyHours).toFixed(1));
    // Time to resolve: while staff had the next move (arrival to first reply, the filer's answer to
    // closing), not while the filer was asked.
    const closed = march
      .filter((r) => r.closedAt && !r.merged)
      .map((r) =>
        r.answeredAt
          ? businessHours(r.createdAt, r.answeredAt) +
            (r.filerRepliedAt ? businessHours(r.filerRepliedAt, r.closedAt as string) : 0)
          : businessHours(r.createdAt, r.closedAt as string),
      )
      .map((h) => Math.round(h * 100) / 100); // stored to the hundredth of an hour
    assert.ok(closed.length > 20 && march.some((r) => r.filerRepliedAt && !r.merged));
    const resolved = new Map(
      tableRows(res.text, 'Resolved requests by the business hours they took').map((cells) => [cells[0], cells[1]]),
    );
    assert.equal(resolved.get('Median time to resolve (business hours)'), medianOf(closed).toFixed(1));
    assert.equal(count(resolved.get('Within the target of 21 business hours') as string), closed.filter((h) => h <= 21).length);
    assert.ok(
      closed.some((h) => h > 21),
      'some requests took longer than the target',
    );
    const groups = [1, 4, 8, 24, 72, Infinity];
    const inGroups = groups.map((bound, k) => closed.filter((h) => h < bound && h >= (k === 0 ? 0 : groups[k - 1])).length);
    assert.deepEqual(
      tableRows(res.text, 'Resolved requests by the business hours they took')
        .slice(0, groups.length)
        .map((cells) => count(cells[1])),
      inGroups,
    );
  });

  it('exports the requests of the range as CSV rows that add up to the page’s tables', async () => {
    const page = await supervisor.get(`/staff/reports?from=${MONTH.from}&to=${MONTH.to}`);
    const res = await supervisor.get(`/staff/reports/export.csv?from=${MONTH.from}&to=${MONTH.to}`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/csv/);
    assert.match(res.headers['content-disposition'], /attachment; filename="helpdesk-requests-2026-03-01-to-2026-03-31\.csv"/);
    const rows = csvRows(res.text);
    assert.equal(rows.length, requests.filter(inMarch).length);
    for (const [k, cells] of tableRows(page.text, 'Requests per day, by how they came in').entries()) {
      const date = DateTime.fromISO(MONTH.from).plus({ days: k }).toISODate();
      const ofDay = rows.filter((r) => r.court_date === date);
      const expected = ['web', 'email', 'api', 'outage_report'].map((c) => ofDay.filter((r) => r.counted_as === c).length);
      assert.deepEqual(cells.slice(1).map(count), [...expected, ofDay.length], `CSV rows of ${date}`);
    }
    // Times on the court's clock, with the offset of their day.
    const edge = rows.find((r) => r.received === '2026-03-08T03:00:00-07:00');
    assert.ok(edge, 'the first request after the change, at 03:00 PDT');
    assert.equal(edge.court_hour, '03');
    assert.equal(edge.tags, 'pacer; sealed');
    assert.ok(rows.some((r) => r.received === '2026-03-08T01:59:00-08:00'));
    // The same medians as the page, from the rows' business hours.
    const replies = rows
      .filter((r) => r.first_response_business_hours !== '')
      .map((r) => Number(r.first_response_business_hours));
    const table = new Map(tableRows(page.text, 'First replies against the target').map((cells) => [cells[0], cells[1]]));
    assert.equal(table.get('Median time to a first reply (business hours)'), medianOf(replies).toFixed(1));
    assert.equal(
      count(table.get('Answered within 2 business hours') as string),
      rows.filter((r) => r.first_response_business_hours !== '' && r.first_response_within_target === 'yes').length,
    );
    const resolvedRows = rows.filter((r) => r.business_hours_to_resolve !== '');
    const resolution = new Map(
      tableRows(page.text, 'Resolved requests by the business hours they took').map((cells) => [cells[0], cells[1]]),
    );
    assert.equal(
      resolution.get('Median time to resolve (business hours)'),
      medianOf(resolvedRows.map((r) => Number(r.business_hours_to_resolve))).toFixed(1),
    );
    assert.equal(
      count(resolution.get('Within the target of 21 business hours') as string),
      resolvedRows.filter((r) => r.resolved_within_target === 'yes').length,
    );
    // Nothing personal: no names or addresses.
    assert.doesNotMatch(res.text, /Pat Filer|@example\.com/);
  });

  it('narrows to a topic or a tag', async () => {
    const march = requests.filter(inMarch);
    const total = (html: string) => count(tableRows(html, 'Requests by how they came in').at(-1)?.[1] ?? '');
    const filing = await supervisor.get(`/staff/reports?from=${MONTH.from}&to=${MONTH.to}&topic=filing`);
    assert.equal(filing.status, 200);
    assert.equal(total(filing.text), march.filter((r) => r.topic === 'filing').length);
    const pacer = await supervisor.get(`/staff/reports?from=${MONTH.from}&to=${MONTH.to}&tag=PACER`);
    assert.equal(pacer.status, 200);
    const tagged = march.filter((r) => r.tags?.includes('pacer'));
    assert.equal(total(pacer.text), tagged.length);
    const kinds = new Map(tableRows(pacer.text, 'Requests by how they came in').map((cells) => [cells[0], count(cells[1])]));
    assert.deepEqual(
      ['Web form', 'Email', 'Outage report'].map((k) => kinds.get(k)),
      [tagged.filter((r) => r.channel === 'web' && !r.outage).length, tagged.filter((r) => r.channel === 'email').length, 1],
    );
    const csv = await supervisor.get(`/staff/reports/export.csv?from=${MONTH.from}&to=${MONTH.to}&tag=pacer`);
    assert.equal(csvRows(csv.text).length, tagged.length);
  });

  it('counts by the court’s hours in a zone half an hour off UTC, with a tag too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reports-profile-'));
    const profilePath = path.join(dir, 'profile.json');
    writeFileSync(profilePath, JSON.stringify({ timezone: 'Asia/Kolkata' }));
    const india = await buildTestApp({ now, env: { COURT_PROFILE: profilePath } });
    try {
      // 08:59, 09:00, 09:59 and 10:00 in Kolkata (UTC+05:30).
      const times = [
        '2026-03-10T03:29:00.000Z',
        '2026-03-10T03:30:00.000Z',
        '2026-03-10T04:29:00.000Z',
        '2026-03-10T04:30:00.000Z',
      ];
      await seedRequests(
        india,
        times.map((createdAt, i) => ({ createdAt, channel: 'web' as const, tags: i === 1 || i === 2 ? ['pacer'] : [] })),
      );
      const agent = await signedInAgent(india, await buildStaff(india, { role: 'supervisor' }));
      const byHour = async (query: string) => {
        const res = await agent.get(`/staff/reports?from=2026-03-10&to=2026-03-10${query}`);
        assert.equal(res.status, 200);
        return tableRows(res.text, 'Requests by the hour of the day they arrived').map((cells) => count(cells[1]));
      };
      const expected = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, h) => counts[h] ?? 0);
      assert.deepEqual(await byHour(''), expected({ 8: 1, 9: 2, 10: 1 }));
      assert.deepEqual(await byHour('&tag=pacer'), expected({ 9: 2 }));
    } finally {
      await india.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a dozen supervisors at once with the same figures (more reports than database connections)', async () => {
    const pages = await Promise.all(
      Array.from({ length: 12 }, () => supervisor.get(`/staff/reports?from=${MONTH.from}&to=${MONTH.to}`)),
    );
    const days = pages.map((page) => {
      assert.equal(page.status, 200);
      return JSON.stringify(tableRows(page.text, 'Requests per day, by how they came in'));
    });
    assert.equal(new Set(days).size, 1);
  });

  it('shows the last 30 days of the court’s calendar without dates', async () => {
    const res = await supervisor.get('/staff/reports');
    assert.equal(res.status, 200);
    assert.match(res.text, /March 17 to April 15, 2026/);
    assert.equal(tableRows(res.text, 'Requests per day, by how they came in').length, 30);
  });

  it('refuses dates and filters it cannot show, with a reason for each', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-03-31&to=2026-03-01', 'range_reversed'],
      ['from=2016-01-01&to=2025-12-31', 'range_too_long'],
      ['from=2026-02-30&to=2026-03-31', 'invalid_date'],
      ['from=2026-03-01&to=2026-03-31&topic=legal-advice', 'unknown_topic'],
      ['from=2026-03-01&to=2026-03-31&tag=nobody-uses-this', 'unknown_tag'],
      ['from=2026-03-01&to=2026-03-31&tag=%3Dcmd', 'invalid_tag'],
    ];
    for (const [query, code] of cases) {
      const page = await supervisor.get(`/staff/reports?${query}`);
      assert.equal(page.status, 400, query);
      assert.match(page.text, new RegExp(`data-code="${code}"`), query);
      assert.doesNotMatch(page.text, /<caption>Requests per day/, query);
      const csv = await supervisor.get(`/staff/reports/export.csv?${query}`).set('Accept', 'application/json');
      assert.equal(csv.status, 400, query);
      assert.equal((csv.body as { errors: Array<{ code: string }> }).errors[0].code, code, query);
    }
    // Two years is the most a report covers.
    assert.equal((await supervisor.get('/staff/reports?from=2024-04-01&to=2026-03-31')).status, 200);
  });
});

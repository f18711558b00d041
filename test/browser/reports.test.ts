import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';
import {
  courtDate,
  monthOfRequests,
  MONTH,
  seedCallbacks,
  seedFaqReadings,
  seedRequests,
  type SeededRequest,
} from '../helpers/report-month';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
// Wednesday April 15, 2026, 11:00 in Los Angeles.
const now = () => new Date('2026-04-15T18:00:00Z');

describe('staff reports in a real browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext;
  let requests: SeededRequest[];

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    t = await buildTestApp({ now });
    requests = monthOfRequests();
    await seedRequests(t, requests);
    await seedCallbacks(t);
    await seedFaqReadings(t);
    server = await serve(t);
    context = await browser.newContext({ bypassCSP: true });
  });
  afterEach(async () => {
    await context.close();
    await server.stop();
    await t.close();
  });

  /** The body cells of the table captioned `caption`, as the page shows them. */
  const tableRows = (page: Page, caption: string) =>
    page.evaluate((wanted) => {
      const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent?.trim() === wanted);
      return [...(table?.tBodies[0]?.rows ?? [])].map((row) => [...row.cells].map((cell) => (cell.textContent ?? '').trim()));
    }, caption);

  /** axe-clean, and nothing wider than the window, at desktop and phone widths. */
  async function checkBothWidths(page: Page, what: string) {
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what} at ${size.width} px`);
      const { overflow, widest } = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        widest: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 3)
          .map((e) => e.outerHTML.slice(0, 80)),
      }));
      assert.ok(overflow <= 0, `${what} is ${overflow} px wider than a ${size.width} px window: ${widest.join(' | ')}`);
    }
    await page.setViewportSize(DESKTOP);
  }

  it('shows a month across the change to daylight time with the numbers of a direct count, and a CSV that equals the table', async () => {
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, await buildStaff(t, { role: 'supervisor' }));

    // From the staff menu, choose the dates with the keyboard.
    await tabTo(page, 'a[href="/staff/reports"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/reports$/);
    await page.fill('#from', MONTH.from);
    await page.fill('#to', MONTH.to);
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/from=2026-03-01&to=2026-03-31/);

    const zone = t.config.profile.timezone;
    const march = requests.filter((r) => courtDate(r.createdAt, zone) >= MONTH.from && courtDate(r.createdAt, zone) <= MONTH.to);
    const days = await tableRows(page, 'Requests per day, by how they came in');
    assert.equal(days.length, 31);
    for (const [k, cells] of days.entries()) {
      const date = DateTime.fromISO(MONTH.from).plus({ days: k }).toISODate();
      const ofDay = march.filter((r) => courtDate(r.createdAt, zone) === date);
      const kinds = ['web', 'email', 'api', 'outage_report'].map(
        (c) => ofDay.filter((r) => (r.outage ? 'outage_report' : r.channel) === c).length,
      );
      assert.deepEqual(cells.slice(1).map(Number), [...kinds, ofDay.length], `requests on ${date}`);
    }
    // Every chart is drawn and named; every section says what it shows.
    const charts = await page.locator('svg.chart[role=img]').count();
    assert.equal(charts, 9);
    assert.equal(await page.locator('.report-section .report-sentence').count(), 9);

    // The CSV link downloads the requests of the same dates, which add up to the table.
    const href = (await page.getAttribute('a[download]', 'href')) as string;
    const csv = await (await page.request.get(`${server.baseUrl}${href}`)).text();
    const lines = csv
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const [head, ...rows] = lines;
    const at = (name: string) => head.indexOf(name);
    assert.equal(rows.length, march.length);
    for (const [k, cells] of days.entries()) {
      const date = DateTime.fromISO(MONTH.from).plus({ days: k }).toISODate();
      const ofDay = rows.filter((r) => r[at('court_date')] === date);
      const kinds = ['web', 'email', 'api', 'outage_report'].map((c) => ofDay.filter((r) => r[at('counted_as')] === c).length);
      assert.deepEqual(cells.slice(1).map(Number), [...kinds, ofDay.length], `CSV rows of ${date}`);
    }

    // Accessible and without sideways scrolling, with the long tables open too.
    await checkBothWidths(page, 'the reports page');
    for (const summary of await page.locator('details.report-more > summary').all()) await summary.click();
    await checkBothWidths(page, 'the reports page with every table open');
  });

  it('shows what is wrong with dates it cannot show, next to the field', async () => {
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, await buildStaff(t, { role: 'admin' }));
    await page.goto(`${server.baseUrl}/staff/reports?from=2016-01-01&to=2025-12-31&tag=nobody-uses-this`);
    assert.equal(await page.locator('.error-summary li').count(), 2);
    assert.equal(await page.getAttribute('#to', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#tag', 'aria-invalid'), 'true');
    assert.match((await page.textContent('#to-error')) ?? '', /at most 731 days/);
    await checkBothWidths(page, 'the reports page with errors');
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';

// A phone held upright.
const PHONE = { width: 375, height: 740 };

describe('a filer reports an outage in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext | undefined;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await buildTestApp();
    server = await serve(t);
    await t.services.outages.declare({ scope: 'cmecf', message: 'CM/ECF is not accepting filings.', actor: 'cli' });
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await server.stop();
    await t.close();
  });

  async function expectAccessible(page: Page, what: string) {
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
  }

  /** Whether the page is wider than the screen (a phone would scroll sideways). */
  const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

  it('reports with JavaScript turned off, on a phone: fixes a mistake, then gets the receipt', async () => {
    context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/status/report`);
    assert.match(await page.locator('.notice-warning').innerText(), /CM\/ECF is not accepting filings/);
    await page.check('#scope');
    await page.fill('#description', 'The Submit button gives an error 500.');
    await page.fill('#name', 'Robin Filer');
    await page.fill('#email', 'robin@example');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    assert.match(await page.locator('.error-summary').innerText(), /does not look like an email address/);
    assert.equal(await page.isChecked('#scope'), true, 'the choice is kept');
    await page.fill('#email', 'robin@example.com');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/status\/receipts\/[A-Za-z0-9_-]{43}$/);
    const receipt = await page.locator('.receipt').innerText();
    assert.match(receipt, /HD-\d{4}-\d{6}/);
    assert.match(receipt, /CM\/ECF is not accepting filings/);
    assert.match(receipt, /Pacific Time/);
  });

  it('passes axe on the form, its errors and the receipt at phone width, navigates by keyboard, and prints the receipt alone', async () => {
    // bypassCSP only lets the test inject axe-core; the pages run no script of their own.
    context = await browser.newContext({ bypassCSP: true, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/status/report`);
    await expectAccessible(page, '/status/report');
    assert.equal(await scrollsSideways(page), false);

    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    await expectAccessible(page, '/status/report with errors');
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'outage-report-errors-phone.png'), fullPage: true });
    await page.click('.error-summary a[href="#scope"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'scope');

    await page.keyboard.press('Space'); // chooses the first answer, CM/ECF
    await tabTo(page, '#description');
    await page.keyboard.type('Nothing uploads; the page times out.');
    await tabTo(page, '#name');
    await page.keyboard.type('Kim Keyboard');
    await tabTo(page, '#email');
    await page.keyboard.type('kim@example.com');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/status\/receipts\//);
    await expectAccessible(page, 'the receipt');
    assert.equal(await scrollsSideways(page), false);
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'outage-receipt-phone.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header nav').isVisible(), false, 'no navigation on paper');
    assert.equal(await page.locator('.site-footer').isVisible(), false);
    assert.equal(await page.locator('.receipt-url').isVisible(), true, 'the address to check it by is printed');
    if (process.env.SCREENSHOT_DIR) {
      await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'outage-receipt-print.png'), fullPage: true });
    }
  });

  it('shows staff the reports as one row of the queue, and their list with the answer-all form, accessibly', async () => {
    for (const email of ['ann@example.com', 'bo@example.com'])
      await t.services.outageReports.report({ scope: 'cmecf', description: 'Submit fails.', name: 'A Filer', email }, 'web');
    const staff = await buildStaff(t);
    context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);
    assert.match(await page.locator('table.outage-groups').innerText(), /CM\/ECF is not accepting filings[\s\S]*2 open reports/);
    await expectAccessible(page, 'the queue with an outage row');
    await page.click('text=2 open reports');
    await page.waitForURL(/\/staff\/status\/\d+\/reports$/);
    assert.equal(await page.locator('table.outage-reports tbody tr').count(), 2);
    await expectAccessible(page, "an outage's reports");
    await page.click('button:has-text("Send to all")');
    await page.waitForSelector('.error-message');
    await expectAccessible(page, 'the answer-all form with an error');
    await page.fill('#answer-body', 'CM/ECF works again. Please file now.');
    await page.click('button:has-text("Send to all")');
    await page.waitForURL(/done=answered/);
    assert.match(await page.locator('.panel-success').innerText(), /not emailed/, 'mail is off in this app');
    assert.match(await page.locator('main').innerText(), /reached 2 of 2 reports/);
  });
});

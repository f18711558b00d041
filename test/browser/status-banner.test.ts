import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff, buildTicket } from '../helpers/factories';

// Monday, November 2, 2026, 9:05 a.m. Pacific: not in the weekly maintenance window.
const MONDAY = new Date('2026-11-02T17:05:00Z');
const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

describe('the outage banner and the status page in a real browser', function () {
  this.timeout(120_000);
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
    t = await buildTestApp({ now: () => MONDAY });
    server = await serve(t);
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

  it('shows the banner on every public page at desktop and phone width, readable, linked and axe-clean', async () => {
    const past = await t.services.outages.declare({
      scope: 'pacer',
      message: 'PACER was slow.',
      startedAt: '2026-10-30T10:00',
      actor: 'cli',
    });
    await t.services.outages.end(past.id, { endedAt: '2026-10-30T12:15', actor: 'cli' });
    await t.services.outages.declare({
      scope: 'cmecf',
      message: 'CM/ECF does not answer. The court is working on it; try again later.',
      startedAt: '2026-11-02T08:50',
      actor: 'cli',
    });
    const { statusToken } = await buildTicket(t);
    const pages = [
      '/',
      '/faq',
      '/faq/maintenance-window',
      '/help',
      '/hours',
      '/callbacks',
      '/status',
      `/requests/${statusToken}`,
    ];

    for (const size of SIZES) {
      // bypassCSP only lets the test inject axe-core; the pages themselves need no script.
      context = await browser.newContext({ bypassCSP: true, viewport: size.viewport });
      const page = await context.newPage();
      for (const path of pages) {
        const what = `${path} (${size.name})`;
        const response = await page.goto(`${server.baseUrl}${path}`);
        assert.equal(response?.status(), 200, what);
        const banner = page.locator('.status-banner');
        assert.ok(await banner.isVisible(), `banner shown on ${what}`);
        assert.match(
          await banner.innerText(),
          /CM\/ECF is down: electronic filing is not working\. Since 8:50 a\.m\. today\./,
          what,
        );
        // The banner comes before the page's own content, and never makes a phone scroll sideways.
        const [bannerTop, mainTop] = await Promise.all([banner.boundingBox(), page.locator('main').boundingBox()]);
        assert.ok(bannerTop && mainTop && bannerTop.y < mainTop.y, `banner above the content on ${what}`);
        assert.ok(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `no sideways scroll on ${what}`,
        );
        await expectAccessible(page, what);
      }
      // Keyboard alone: the banner's link is reached with Tab and opens the status page.
      await page.goto(`${server.baseUrl}/faq`);
      await tabTo(page, '.status-banner a');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${server.baseUrl}/status`);
      assert.match(await page.locator('h1').innerText(), /Is CM\/ECF working\?/);
      await context.close();
      context = undefined;
    }
  });

  it('works without JavaScript: the status page, its history pages, and staff declaring and ending an outage', async () => {
    for (let day = 1; day <= 26; day++) {
      const start = `2026-09-${String(day).padStart(2, '0')}T10:00`;
      const o = await t.services.outages.declare({ scope: 'other', message: `Outage ${day}.`, startedAt: start, actor: 'cli' });
      await t.services.outages.end(o.id, { endedAt: start.replace('10:00', '11:05'), actor: 'cli' });
    }
    const staff = await buildStaff(t, { name: 'Dana Clerk', role: 'supervisor' });
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(`${server.baseUrl}/status`);
    assert.match(await page.locator('.status-now').innerText(), /Everything is working normally/);
    assert.equal(await page.locator('.status-banner').count(), 0);
    assert.match(await page.locator('.outage-history').innerText(), /Outage 26\.[\s\S]*1 hour 5 minutes/);
    await page.getByRole('link', { name: 'Older outages' }).click();
    assert.match(await page.locator('.outage-history').innerText(), /Outage 1\./);

    await signInAsStaff(page, server.baseUrl, staff);
    await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Service status' }).click();
    await page.waitForURL(`${server.baseUrl}/staff/status`);
    await page.selectOption('#declare-scope', 'email-notices');
    await page.locator('#declare-startedAt').fill('2026-11-03T08:00'); // tomorrow: refused
    await page.fill('#declare-message', 'Email notices of filings are delayed.');
    await page.getByRole('button', { name: 'Declare the outage' }).click();
    assert.match(await page.locator('.error-summary').innerText(), /The start cannot be in the future/);
    assert.equal(await page.inputValue('#declare-message'), 'Email notices of filings are delayed.', 'what was typed is kept');
    await page.locator('#declare-startedAt').fill('2026-11-02T08:00');
    await page.getByRole('button', { name: 'Declare the outage' }).click();
    assert.match(await page.locator('.panel-success').innerText(), /Outage declared/);

    await page.goto(`${server.baseUrl}/status`);
    assert.match(
      await page.locator('.status-banner').innerText(),
      /Email notices of filings are not being sent\. Since 8:00 a\.m\. today\./,
    );
    assert.match(await page.locator('.notices').innerText(), /Email notices of filings are delayed\./);

    await page.goto(`${server.baseUrl}/staff/status`);
    await page.getByRole('button', { name: /End this outage/ }).click();
    assert.match(await page.locator('.panel-success').innerText(), /Outage ended/);
    await page.goto(`${server.baseUrl}/status`);
    assert.equal(await page.locator('.status-banner').count(), 0);
    assert.match(await page.locator('.outage-history').innerText(), /Email notices of filings[\s\S]*1 hour 5 minutes/);
  });

  it('keeps the staff status page axe-clean with an active outage and with an error shown', async () => {
    await t.services.outages.declare({ scope: 'cmecf', message: 'Down.', startedAt: '2026-11-02T09:00', actor: 'cli' });
    const staff = await buildStaff(t, { role: 'supervisor' });
    context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);
    await page.goto(`${server.baseUrl}/staff/status`);
    await expectAccessible(page, '/staff/status');
    await page.locator('[id^="outage-"][id$="-endedAt"]').fill('2026-11-02T08:00');
    await page.getByRole('button', { name: /End this outage/ }).click();
    assert.match(await page.locator('.error-summary').innerText(), /The end must come after the start/);
    await expectAccessible(page, '/staff/status with an error');
  });
});

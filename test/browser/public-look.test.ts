import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';
import { buildTicket } from '../helpers/factories';

// Monday, November 2, 2026, 9:05 a.m. Pacific: the helpdesk is open, CM/ECF not in maintenance.
const MONDAY = new Date('2026-11-02T17:05:00Z');
const WIDTHS = [1280, 390];
const LANGUAGES = ['en', 'es'];

describe('the public pages in the U.S. Web Design System look, in a real browser', function () {
  this.timeout(300_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'public-look-'));
    const profile = path.join(dir, 'court.json');
    writeFileSync(
      profile,
      JSON.stringify({
        court: { name: 'United States District Court, Western District of Washington', id: 'wawd' },
        officialBanner: true,
      }),
    );
    browser = await launchBrowser();
    t = await buildTestApp({ now: () => MONDAY, env: { COURT_PROFILE: profile } });
    server = await serve(t);
  });
  after(async () => {
    await server?.stop();
    await t?.close();
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** Every request the page made that failed (a missing favicon, font or image included). */
  function failedRequests(page: Page): string[] {
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document')
        failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (req) => failed.push(`failed ${req.url()}`));
    return failed;
  }

  it('is axe-clean on every public page at 1280 and 390 px, in English and Spanish, with nothing missing', async () => {
    const { statusToken } = await buildTicket(t);
    const pages = [
      { path: '/', status: 200 },
      { path: '/faq', status: 200 },
      { path: '/faq?q=password', status: 200 },
      { path: '/faq/maintenance-window', status: 200 },
      { path: '/help', status: 200 },
      { path: '/hours', status: 200 },
      { path: '/callbacks', status: 200 },
      { path: '/status', status: 200 },
      { path: '/status/report', status: 200 },
      { path: `/requests/${statusToken}`, status: 200 },
      { path: '/no-such-page', status: 404 },
    ];
    for (const width of WIDTHS) {
      // bypassCSP only lets the test inject axe-core.
      context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      const failed = failedRequests(page);
      for (const language of LANGUAGES) {
        for (const { path: pagePath, status } of pages) {
          const what = `${pagePath} in ${language} at ${width} px`;
          const response = await page.goto(`${server.baseUrl}${pagePath}${pagePath.includes('?') ? '&' : '?'}lang=${language}`);
          assert.equal(response?.status(), status, what);
          await page.waitForLoadState('load');
          assert.equal(await page.getAttribute('html', 'lang'), language, what);
          assert.match(await page.locator('.site-name').innerText(), /Western District of Washington/, what);
          assert.ok(await page.locator('.gov-banner summary').isVisible(), `government banner on ${what}`);
          assert.equal(
            await page.evaluate(() => getComputedStyle(document.body).fontFamily.split(',')[0]),
            '"Public Sans Web"',
            what,
          );
          assert.ok(
            await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
            `no sideways scroll on ${what}`,
          );
          assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
        }
      }
      // The browser asks for the favicon on its own; fonts load once the text needs them.
      await page.goto(`${server.baseUrl}/favicon.ico`);
      assert.deepEqual(failed, [], `at ${width} px`);
      await context.close();
      context = undefined;
    }
  });

  it('is axe-clean on the pages a filer reaches by sending: confirmation step, request received, outage receipt', async () => {
    for (const width of WIDTHS) {
      context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const language of LANGUAGES) {
        const what = `in ${language} at ${width} px`;
        await page.goto(`${server.baseUrl}/help?lang=${language}`);
        await page.fill('#name', 'Look Check');
        await page.fill('#email', 'look@example.com');
        await page.fill('#subject', 'Forgot my password');
        await page.fill('#body', 'I cannot reset my PACER password.');
        // As if the script had shown no suggestions: the server then shows them as a step of its own.
        await page.$eval('input[name="suggestionsSeen"]', (input) => ((input as HTMLInputElement).value = ''));
        await page.click('form[action="/help"] button[type=submit]');
        await page.waitForSelector('form[action="/help"] input[name="confirmed"]', { state: 'attached' });
        assert.deepEqual(await axeViolations(page), [], `confirmation step ${what}`);
        await page.click('form[action="/help"] button[type=submit]');
        await page.waitForSelector('.private-link');
        assert.deepEqual(await axeViolations(page), [], `request received ${what}`);

        await page.goto(`${server.baseUrl}/status/report?lang=${language}`);
        await page.check('#scope');
        await page.fill('#description', 'The Submit button gives an error 500.');
        await page.fill('#name', 'Robin Filer');
        await page.fill('#email', 'robin@example.com');
        await page.click('form[action="/status/report"] button[type=submit]');
        await page.waitForSelector('.receipt');
        assert.deepEqual(await axeViolations(page), [], `outage receipt ${what}`);
      }
      await context.close();
      context = undefined;
    }
  });

  it('opens the government banner with the keyboard and without JavaScript', async () => {
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    for (const [language, heading] of [
      ['en', 'Official websites use .gov'],
      ['es', 'Los sitios web oficiales usan .gov'],
    ]) {
      await page.goto(`${server.baseUrl}/?lang=${language}`);
      const content = page.locator('.gov-banner__content');
      assert.equal(await content.isVisible(), false, 'closed at first');
      await tabTo(page, '.gov-banner summary');
      await page.keyboard.press('Enter');
      assert.ok(await content.isVisible(), 'opened by Enter');
      assert.match(await content.innerText(), new RegExp(heading.replace('.', '\\.')));
      await page.keyboard.press('Enter');
      assert.equal(await content.isVisible(), false, 'closed again');
    }
  });

  it('moves focus to the error summary after a failed submit, in both languages', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    for (const language of LANGUAGES) {
      for (const form of [
        { path: '/help', submit: 'form[action="/help"] button[type=submit]' },
        { path: '/status/report', submit: 'form[action="/status/report"] button[type=submit]' },
      ]) {
        const what = `${form.path} in ${language}`;
        await page.goto(`${server.baseUrl}${form.path}?lang=${language}`);
        await page.click(form.submit);
        await page.waitForSelector('.error-summary');
        await page.waitForFunction(() => document.activeElement?.matches('[data-error-summary]') ?? false, null, {
          timeout: 5000,
        });
        // Its links take the filer to each field with a problem.
        const first = page.locator('.error-summary a').first();
        const target = (await first.getAttribute('href')) ?? '';
        await page.keyboard.press('Tab');
        assert.ok(
          await page.evaluate(() => document.activeElement?.closest('.error-summary') !== null),
          `Tab stays in the summary on ${what}`,
        );
        await first.click();
        assert.equal(await page.evaluate(() => `#${document.activeElement?.id ?? ''}`), target, what);
      }
    }
  });

  it('without JavaScript puts the error summary first in the page content, linked to every field in error', async () => {
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    for (const form of ['/help', '/status/report']) {
      await page.goto(`${server.baseUrl}${form}?lang=es`);
      await page.click(`form[action="${form}"] button[type=submit]`);
      await page.waitForSelector('.error-summary');
      // A page's own stylesheet link may come first; the summary is the first thing shown.
      const first = await page.evaluate(
        () =>
          [...(document.querySelector('main')?.children ?? [])].find((e) => !['LINK', 'SCRIPT'].includes(e.tagName))?.className,
      );
      assert.equal(first, 'error-summary', form);
      const targets = await page.locator('.error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const invalid = await page.locator('[aria-invalid="true"]').evaluateAll((fields) => fields.map((f) => `#${f.id}`));
      assert.ok(targets.length > 0, form);
      for (const target of targets)
        assert.equal(await page.locator(target ?? '').count(), 1, `${form}: ${target} leads to a field`);
      for (const field of invalid) assert.ok(targets.includes(field), `${form}: ${field} is listed`);
    }
  });
});

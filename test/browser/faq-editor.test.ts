import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';

describe('an editor keeps the FAQ in a real browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let staffContext: BrowserContext;
  let filerContext: BrowserContext;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    t = await buildTestApp();
    server = await serve(t);
    staffContext = await browser.newContext({ bypassCSP: true });
    filerContext = await browser.newContext({ bypassCSP: true });
  });
  afterEach(async () => {
    await staffContext.close();
    await filerContext.close();
    await server.stop();
    await t.close();
  });

  async function expectAccessible(page: Page, what: string) {
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
  }

  /** Nothing wider than the window: no sideways scrolling on a phone. */
  async function expectFits(page: Page, what: string) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll, .diff'))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`),
    );
    assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the window: ${wide.join(', ')}`);
  }

  /** The titles of the answers a filer's search on /faq finds. */
  async function filerFinds(q: string): Promise<string[]> {
    const page = await filerContext.newPage();
    await page.goto(`${server.baseUrl}/faq?q=${encodeURIComponent(q)}`);
    const found = await page.locator('ol.results h3 a').allInnerTexts();
    await page.close();
    return found;
  }

  it('changes an answer, previews it, publishes it; a filer finds the new wording at once; history shows both; restore brings the first back', async () => {
    const editor = await buildStaff(t, { name: 'Eve Editor', role: 'editor' });
    const title = 'I forgot my CM/ECF password or username. How do I reset it?';
    assert.deepEqual(await filerFinds('capybara'), []);
    const page = await staffContext.newPage();

    await signInAsStaff(page, server.baseUrl, editor);

    await page.goto(`${server.baseUrl}/staff/faq`);
    await expectAccessible(page, 'the FAQ answer list');
    await page.click('a[href="/staff/faq/forgot-password/edit"]');
    await page.waitForURL(/forgot-password\/edit$/);
    await expectAccessible(page, 'the answer editor');
    assert.match(await page.locator('.placeholder-help').innerText(), /\{\{helpdesk\.phone\}\}/);

    const body = await page.inputValue('#answer-body');
    await page.fill('#answer-body', `Ask the capybara desk first: it resets passwords within minutes.\n\n${body}`);
    await page.click('button:has-text("Show preview")');
    await page.waitForSelector('text=Preview: what filers will see');
    assert.match(await page.locator('.faq-preview .answer').innerText(), /Ask the capybara desk first/);
    assert.deepEqual(await filerFinds('capybara'), [], 'a preview publishes nothing');
    await expectAccessible(page, 'the editor with a preview');

    // Publish from the keyboard.
    await tabTo(page, 'button[formaction$="/publish"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/faq\/forgot-password\/history\?done=published$/);
    await page.waitForSelector('text=Published. Filers find the new version');
    assert.deepEqual(await filerFinds('capybara'), [title], 'searchable at once');

    const versions = page.locator('li.version h3');
    assert.deepEqual(await versions.allInnerTexts(), ['Version 2 (published now)', 'Version 1']);
    assert.match(await page.locator('#version-2').innerText(), /Published by Eve Editor on /);
    await page.click('#version-2 summary');
    assert.match(await page.locator('#version-2 .diff-added').first().innerText(), /capybara desk/);
    await expectAccessible(page, 'the history with a comparison');

    await page.click('button:has-text("Restore version 1")');
    await page.waitForURL(/done=restored$/);
    assert.deepEqual(await versions.allInnerTexts(), ['Version 3 (published now)', 'Version 2', 'Version 1']);
    assert.match(await page.locator('#version-3').innerText(), /A restore of version 1/);
    assert.deepEqual(await filerFinds('capybara'), []);
    assert.ok((await filerFinds('forgot password')).includes(title));
  });

  it('fits a 390 px phone screen and stays accessible: list, editor, history, synonyms, searches', async () => {
    const editor = await buildStaff(t, { role: 'editor' });
    const page = await staffContext.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAsStaff(page, server.baseUrl, editor);
    for (const [path, what] of [
      ['/staff/faq', 'the list'],
      ['/staff/faq/new', 'a new answer'],
      ['/staff/faq/training/edit', 'the editor'],
      ['/staff/faq/training/history', 'the history'],
      ['/staff/faq/synonyms', 'the synonyms'],
      ['/staff/faq/searches', 'the search analytics'],
    ]) {
      await page.goto(`${server.baseUrl}${path}`);
      await expectFits(page, what);
      await expectAccessible(page, `${what} at 390 px`);
    }
    // A form with problems: the summary links to the field.
    await page.goto(`${server.baseUrl}/staff/faq/new`);
    await page.fill('#answer-id', 'Not An Id');
    await page.click('button:has-text("Save draft")');
    await page.waitForSelector('.error-summary');
    await expectAccessible(page, 'the editor with errors');
    await page.click('.error-summary a[href="#answer-id"]');
    assert.equal(await page.evaluate(() => location.hash), '#answer-id');
    assert.match(await page.locator('#answer-id-error').innerText(), /lowercase words joined by hyphens/);
  });
});

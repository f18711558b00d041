import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';

describe('a filer in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await buildTestApp();
    server = await serve(t);
  });
  afterEach(async () => {
    await context?.close();
    await server.stop();
    await t.close();
  });

  async function expectAccessible(p: Page, what: string) {
    const violations = await axeViolations(p);
    assert.deepEqual(violations, [], `axe found WCAG 2.1 A/AA problems on ${what}`);
  }

  it('asks for help with the keyboard alone: fixes a mistake, submits, opens the private link and replies', async () => {
    // bypassCSP only lets the test inject axe-core; the pages themselves run no script.
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/help`);
    await expectAccessible(page, '/help');

    await tabTo(page, '#name');
    await page.keyboard.type('Jordan Example');
    await tabTo(page, '#email');
    await page.keyboard.type('jordan.example'); // the mistake: no domain
    await tabTo(page, '#caseNumber');
    await page.keyboard.type('3:20-cv-1234-JST');
    await tabTo(page, '#subject');
    await page.keyboard.type('Cannot open the document link in my NEF');
    await tabTo(page, '#body');
    await page.keyboard.type('The link in the notice asks me to log in to PACER and then says the document is not available.');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('domcontentloaded');

    assert.match(await page.locator('.error-summary').innerText(), /does not look like an email address/);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.inputValue('#subject'), 'Cannot open the document link in my NEF', 'what was typed is kept');
    await expectAccessible(page, '/help with errors');

    await tabTo(page, '#email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('jordan@example.com');
    // The answers suggested while typing are shown in the form; opening one keeps the form in its tab.
    await page.locator('#suggestions a').first().waitFor();
    assert.match(await page.locator('#suggestions').innerText(), /document link/i);
    const [answerTab] = await Promise.all([context.waitForEvent('page'), page.locator('#suggestions a').first().click()]);
    await answerTab.waitForLoadState();
    assert.match(answerTab.url(), /\/faq\/[a-z-]+\?from=request$/);
    await answerTab.close();
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/requests\/[^/]+\/received$/);

    const reference = (await page.locator('.reference').innerText()).trim();
    assert.match(reference, /^HD-\d{4}-\d{6}$/);
    assert.match(await page.locator('main').innerText(), /3:20-cv-01234/);
    await expectAccessible(page, 'the thank-you page');

    await tabTo(page, '.private-link a');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/requests\/[A-Za-z0-9_-]{43}$/);
    assert.match(await page.locator('h1').innerText(), new RegExp(reference));
    await expectAccessible(page, 'the status page');

    await tabTo(page, '#body');
    await page.keyboard.type('I tried another browser and it is the same.');
    await tabTo(page, 'form[action$="/replies"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=sent/);
    const thread = await page.locator('.thread').innerText();
    assert.match(thread, /I tried another browser and it is the same\./);
    assert.match(await page.locator('[role=status]').innerText(), /Your reply was added/);
    await expectAccessible(page, 'the status page after a reply');

    await tabTo(page, 'form[action$="/close"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=closed/);
    assert.match(await page.locator('.summary').innerText(), /Closed/);
  });

  it('works with JavaScript turned off', async () => {
    context = await browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/help`);
    await page.fill('#name', 'No Script');
    await page.fill('#email', 'noscript@example.com');
    await page.fill('#subject', 'Filing fee payment failed');
    await page.fill('#body', 'Pay.gov showed an error after I entered my card.');
    // The file chooser (optional) comes after the message: Tab past it to the send button.
    await page.press('#attachments', 'Tab');
    await page.keyboard.press('Enter');
    // No script ran, so the suggestions come as a confirmation step.
    await page.waitForSelector('text=Before you send your request');
    assert.ok((await page.locator('.suggestions a').count()) > 0);
    await page.click('text=Send my request');
    await page.waitForURL(/\/received$/);
    await page.click('.private-link a');
    await page.fill('#body', 'Any news?');
    await page.click('form[action$="/replies"] button');
    await page.waitForURL(/done=sent/);
    assert.match(await page.locator('.thread').innerText(), /Any news\?/);
  });

  it('has no WCAG 2.1 A/AA violations on the other public pages', async () => {
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
    for (const path of [
      '/',
      '/hours',
      '/no-such-page',
      '/faq',
      '/faq?q=password',
      '/faq?q=xylophone',
      '/faq/forgot-password',
      '/faq/forgot-password?from=request',
    ]) {
      await page.goto(`${server.baseUrl}${path}`);
      await expectAccessible(page, path);
    }
    // The confirmation step that shows suggestions before a request is sent (the no-script path).
    await page.goto(`${server.baseUrl}/help`);
    await page.fill('#name', 'Axe Check');
    await page.fill('#email', 'axe@example.com');
    await page.fill('#subject', 'Forgot my password');
    await page.fill('#body', 'I cannot reset my PACER password.');
    await page.evaluate(() => {
      (document.querySelector('input[name=suggestionsSeen]') as HTMLInputElement).value = '';
      (document.querySelector('form[data-suggest]') as HTMLFormElement).submit();
    });
    await page.waitForSelector('text=Before you send your request');
    await expectAccessible(page, 'the confirmation step');
  });

  it('lets a keyboard user skip straight to the main content', async () => {
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  });
});

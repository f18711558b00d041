import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildReviewTicket, buildStaff, buildTicket } from '../helpers/factories';

describe('reviewing a flagged request in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    t = await buildTestApp();
    server = await serve(t);
    context = await browser.newContext({ bypassCSP: true });
  });
  afterEach(async () => {
    await context.close();
    await server.stop();
    await t.close();
  });

  async function expectAccessible(page: Page, what: string) {
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
  }

  it('sees the flagged request first and marked, reads why, and declines it as legal advice with the keyboard', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const { ticket } = await buildReviewTicket(t, {
      subject: 'Motion or answer?',
      body: 'Should I file a motion to dismiss or an answer to the complaint?',
    });
    await buildTicket(t, { subject: 'A newer question about uploads' });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);

    const firstRow = page.locator('table.queue tbody tr').first();
    assert.match(await firstRow.innerText(), new RegExp(ticket.reference));
    assert.match(await firstRow.innerText(), /Needs review: may ask for legal advice/);
    await expectAccessible(page, 'the queue with a flagged request');

    await firstRow.locator(`a:text("${ticket.reference}")`).click();
    await page.waitForURL(new RegExp(ticket.reference));
    const callout = await page.locator('section[aria-labelledby=policy-heading]').innerText();
    assert.match(callout, /Needs review: may ask for legal advice/);
    assert.match(callout, /Reads like a request for legal advice/);
    assert.match(callout, /Should I file a motion to dismiss/);
    await expectAccessible(page, 'a ticket waiting for review');

    await tabTo(page, 'button[value=legal_advice]');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Decline as legal advice');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=decline/);
    assert.match(await page.locator('.panel-success').innerText(), /Declined as legal advice/);
    assert.match(await page.locator('#policy-heading').innerText(), /Refused/);
    assert.match(await page.locator('.history').innerText(), /Sam Agent declined the request after review/);
    assert.equal(await page.locator('text=Decline as judge contact').count(), 0);
    await expectAccessible(page, 'a declined ticket');

    await page.goto(`${server.baseUrl}/staff`);
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(ticket.reference));
  });

  it('dismisses the review flag with the keyboard', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const { ticket } = await buildReviewTicket(t, { category: 'judge_contact' });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);
    assert.match(await page.locator('table.queue tbody tr').first().innerText(), /may ask us to contact a judge/);
    await page.goto(`${server.baseUrl}/staff/tickets/${ticket.reference}`);
    await tabTo(page, 'form[action$="/dismiss-review"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=dismiss-review/);
    assert.match(await page.locator('.panel-success').innerText(), /Review flag dismissed/);
    await page.goto(`${server.baseUrl}/staff`);
    assert.doesNotMatch(await page.locator('table.queue').innerText(), /Needs review/);
  });
});

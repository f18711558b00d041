import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';

describe('booking a callback in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };

  before(async () => {
    browser = await launchBrowser();
    t = await buildTestApp({ now: () => new Date('2027-03-10T17:00:00Z') });
    server = await serve(t);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  it('books a slot with the keyboard alone, then reschedules it', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/callbacks`);
    assert.deepEqual(await axeViolations(page), [], 'axe on /callbacks');

    await tabTo(page, 'input[name=start]');
    await page.keyboard.press('ArrowRight'); // radio group: the next time of the first day
    const chosen = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked), true);
    await tabTo(page, '#name');
    await page.keyboard.type('Casey Caller');
    await tabTo(page, '#phone');
    await page.keyboard.type('206 555 0142');
    await tabTo(page, '#email');
    await page.keyboard.type('casey@example.com');
    await tabTo(page, '#topic');
    await page.keyboard.type('PDF will not upload');
    await tabTo(page, 'form[action="/callbacks"] button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/callbacks\/manage\/.+done=booked/);
    assert.match(await page.locator('[role=status]').innerText(), /Your callback is booked/);
    assert.equal(chosen, '2027-03-10T10:15:00-08:00');
    assert.match(await page.locator('.summary').innerText(), /Wednesday, March 10, 2027 at 10:15 a\.m\. PST/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the manage page');

    await page.check('input[value="2027-03-15T09:00:00-07:00"]');
    await page.click('text=Move my call');
    await page.waitForURL(/done=moved/);
    assert.match(await page.locator('.summary').innerText(), /Monday, March 15, 2027 at 9:00 a\.m\. PDT/);
    await context.close();
  });
});

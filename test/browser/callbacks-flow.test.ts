import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';

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

  it('books a slot with the keyboard alone, staff see it on their callbacks board, then the filer reschedules it', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/callbacks`);
    assert.deepEqual(await axeViolations(page), [], 'axe on /callbacks');

    // The day comes first (SPEC §15): the month is one Tab stop, starting on today; Enter shows its times.
    await tabTo(page, '.month-grid [tabindex="0"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'times-legend');
    await tabTo(page, 'input[name=start]');
    await page.keyboard.press('ArrowRight'); // radio group: the next time of the day
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

    // A helpdesk agent, in a browser of their own, finds the call on the board under today.
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const staffContext = await browser.newContext({ bypassCSP: true });
    const board = await staffContext.newPage();
    await signInAsStaff(board, server.baseUrl, staff);
    await board.goto(`${server.baseUrl}/staff/callbacks`);
    const todayRows = board.locator('h2:text-is("Today") + table tbody tr');
    assert.equal(await todayRows.count(), 1);
    const row = await todayRows.first().innerText();
    assert.match(row, /Wednesday, March 10, 2027 at 10:15 a\.m\. PST/);
    assert.match(row, /Casey Caller/);
    assert.match(row, /\(206\) 555-0142/);
    assert.match(row, /PDF will not upload/);
    assert.match(row, /Booked/);
    assert.deepEqual(await axeViolations(board), [], 'axe on the callbacks board');

    await page.click('a[data-day="2027-03-15"]');
    await page.check('input[value="2027-03-15T09:00:00-07:00"]');
    await page.click('text=Move my call');
    await page.waitForURL(/done=moved/);
    assert.match(await page.locator('.summary').innerText(), /Monday, March 15, 2027 at 9:00 a\.m\. PDT/);

    // The board follows the move: nothing left today, the call listed on its new day.
    await board.reload();
    assert.equal(await board.locator('h2:text-is("Today") + table').count(), 0);
    assert.match(
      await board.locator('h2:text-is("Upcoming") + table tbody').innerText(),
      /Monday, March 15, 2027 at 9:00 a\.m\. PDT/,
    );
    await staffContext.close();
    await context.close();
  });
});

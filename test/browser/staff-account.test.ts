import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('staff account pages in a real browser, with the keyboard alone', function () {
  this.timeout(90_000);
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

  async function typeInto(page: Page, selector: string, text: string) {
    await tabTo(page, selector);
    await page.keyboard.type(text);
  }

  it('changes one’s own password and ends another session from /staff/account', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const other = await context.browser()!.newContext();
    const otherPage = await other.newPage();
    await signInAsStaff(otherPage, server.baseUrl, staff, { keyboard: true }); // a second session, in another browser
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff, { keyboard: true });

    await tabTo(page, 'a[href="/staff/account"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/account$/);
    assert.match((await page.textContent('h1')) ?? '', /Your account/);
    assert.equal(await page.locator('table.sessions tbody tr').count(), 2);
    await checkBothWidths(page, 'the account page');

    // A common password is refused, with the error linked from the summary and the field marked.
    await typeInto(page, '#current', staff.password);
    await typeInto(page, '#password', 'Password12345');
    await typeInto(page, '#confirm', 'Password12345');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    assert.match((await page.textContent('.error-summary')) ?? '', /too easy to guess/);
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
    await checkBothWidths(page, 'the account page with an error');

    const fresh = 'walnut harbour lantern';
    await typeInto(page, '#current', staff.password);
    await typeInto(page, '#password', fresh);
    await typeInto(page, '#confirm', fresh);
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Your password is changed');
    assert.equal(await page.locator('table.sessions tbody tr').count(), 1, 'the other session ended');
    await otherPage.goto(`${server.baseUrl}/staff`);
    await otherPage.waitForURL(/\/staff\/sign-in/);
    await other.close();
  });

  it('lets an administrator edit an account’s name and role from /staff/users', async () => {
    const admin = await buildStaff(t, { name: 'Ada Admin', role: 'admin' });
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, admin, { keyboard: true });
    await tabTo(page, 'a[href="/staff/users"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/users$/);
    await checkBothWidths(page, 'the staff accounts page');

    await tabTo(page, `a[href="/staff/users/${staff.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/staff/users/${staff.id}$`));
    await checkBothWidths(page, 'the edit form');

    await tabTo(page, '#name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Sam Supervisor');
    await tabTo(page, '#role');
    await page.keyboard.press('ArrowDown'); // agent → editor
    await page.keyboard.press('ArrowDown'); // editor → supervisor
    assert.equal(await page.inputValue('#role'), 'supervisor');
    await tabTo(page, '#save-account');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Account saved.');
    const row = await t.db('staff_users').where({ id: staff.id }).first();
    assert.deepEqual([row.name, row.role], ['Sam Supervisor', 'supervisor']);

    // The last administrator cannot step down: the refusal is on the page, in words.
    await page.goto(`${server.baseUrl}/staff/users/${admin.id}`);
    await tabTo(page, '#role');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, '#save-account');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    assert.match((await page.textContent('.error-summary')) ?? '', /last active administrator/);
    await checkBothWidths(page, 'the edit form with an error');
  });
});

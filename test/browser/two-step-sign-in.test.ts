import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';
import { totpCode } from '../helpers/two-step';

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'a 390 px phone', viewport: { width: 390, height: 844 } },
];

describe('two-step sign-in in a real browser, without JavaScript and with the keyboard alone', function () {
  this.timeout(90_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  // The app's clock runs ahead of the real one when a test needs the next 30-second code.
  let offset = 0;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    offset = 0;
    t = await buildTestApp({ env: { STAFF_MFA: 'required' }, now: () => new Date(Date.now() + offset) });
    server = await serve(t);
  });
  afterEach(async () => {
    await server.stop();
    await t.close();
  });

  for (const { name, viewport } of VIEWPORTS)
    it(`sets up an authenticator app at the first sign-in, then signs in with password and code (${name})`, async () => {
      const staff = await buildStaff(t, { name: 'Sam Agent' });
      const context = await browser.newContext({ javaScriptEnabled: false, viewport });
      // axe needs JavaScript: each page's HTML is checked in a second page, on the same address and stylesheet.
      const checker = await (await browser.newContext({ bypassCSP: true, viewport })).newPage();
      const expectAccessible = async (page: Page, what: string) => {
        await checker.goto(`${server.baseUrl}/healthz`);
        await checker.setContent(await page.content(), { waitUntil: 'load' });
        assert.deepEqual(await axeViolations(checker), [], `axe found WCAG 2.1 A/AA problems on ${what} (${name})`);
        const overflow = await checker.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow} px at ${viewport.width} px`);
      };
      const page = await context.newPage();
      const type = async (selector: string, text: string) => {
        await tabTo(page, selector);
        await page.keyboard.type(text);
      };
      try {
        await page.goto(`${server.baseUrl}/staff`);
        await page.waitForURL(/\/staff\/sign-in/);
        await expectAccessible(page, 'the sign-in page');
        await type('#email', staff.email);
        await type('#password', staff.password);
        await page.keyboard.press('Enter');

        await page.waitForURL(/\/staff\/sign-in\/set-up/);
        await expectAccessible(page, 'the set-up page');
        assert.equal(await page.locator('.qr-code svg').count(), 1);
        const secret = (await page.locator('.secret-key').innerText()).replace(/\s/g, '');
        await type('#code', '000000');
        await page.keyboard.press('Enter');
        await page.waitForSelector('text=That code is not right');
        await expectAccessible(page, 'the set-up page with an error');
        await type('#code', await totpCode(secret, new Date(Date.now() + offset)));
        await page.keyboard.press('Enter');

        await page.waitForSelector('h1:has-text("Your recovery codes")');
        await expectAccessible(page, 'the recovery codes');
        assert.equal(await page.locator('ol.recovery-codes li').count(), 10);
        await tabTo(page, 'a.button');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/staff$/);

        await tabTo(page, 'button.link-button');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/staff\/sign-in$/);

        offset += 30_000; // the next code
        await type('#email', staff.email);
        await type('#password', staff.password);
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/staff\/sign-in\/code/);
        await expectAccessible(page, 'the code page');
        await type('#code', await totpCode(secret, new Date(Date.now() + offset)));
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/staff$/);
        assert.match(await page.locator('header').innerText(), /Sign out Sam Agent/);
      } finally {
        await context.close();
        await checker.context().close();
      }
    });

  async function contextWithout(viewport: { width: number; height: number }): Promise<BrowserContext> {
    return browser.newContext({ javaScriptEnabled: false, viewport });
  }

  it('says when a locked-out sign-in may try again', async () => {
    const staff = await buildStaff(t);
    const context = await contextWithout({ width: 390, height: 844 });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/staff/sign-in`);
      for (let i = 0; i < 6; i += 1) {
        await page.fill('#email', staff.email);
        await page.fill('#password', `wrong ${i}`);
        await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.keyboard.press('Enter')]);
        await page.waitForLoadState();
      }
      assert.match(await page.locator('[role=alert]').innerText(), /You can try again after \w+day, .* at \d+:\d\d [ap]\.m\./);
    } finally {
      await context.close();
    }
  });
});

import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff, ticketInput } from '../helpers/factories';

describe('the staff ticket page in a real browser', function () {
  this.timeout(90_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let contexts: BrowserContext[];
  let staff: Awaited<ReturnType<typeof buildStaff>>;
  let reference: string;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    t = await buildTestApp();
    server = await serve(t);
    contexts = [];
    staff = await buildStaff(t, { name: 'Ada Agent' });
    const input = ticketInput({ phone: '(206) 555-0142', subject: 'Forgot my password', body: 'I forgot my PACER password.' });
    await t.services.tickets.create({ ...input, subject: 'An older request about fees' }, 'web');
    reference = (await t.services.tickets.create(input, 'web')).ticket.reference;
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    await server.stop();
    await t.close();
  });

  /** A signed-in page in a new browser context (`javaScriptEnabled: false` for a browser without scripts). */
  async function signedIn(options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      // axe-core is injected as an inline script, which the page's CSP forbids on purpose.
      bypassCSP: true,
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: options.width ?? 1280, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);
    return page;
  }

  /** Chooses an FAQ answer in the picker with the keyboard alone: Tab to it, type the start of its title. */
  async function chooseAnswerByKeyboard(page: Page) {
    await tabTo(page, '#answer', 80);
    await page.keyboard.type('I forgot my', { delay: 20 });
    assert.equal(await page.inputValue('#answer'), 'forgot-password');
  }

  async function expectUsable(page: Page, what: string) {
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${what} scrolls sideways`);
  }

  it('with JavaScript, inserts the answer at the cursor without a reload, keeping the draft and its lists', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/staff/tickets/${reference}`);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await tabTo(page, '#reply-body', 80);
    await page.keyboard.type('Hello Pat,\nBest wishes, Ada');
    // The cursor goes back to the end of the first line, where the answer belongs.
    for (let i = 0; i < 'Best wishes, Ada'.length + 1; i += 1) await page.keyboard.press('ArrowLeft');
    await chooseAnswerByKeyboard(page);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Insert answer');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('#reply-body') as HTMLTextAreaElement).value.includes('PACER'));

    const value = await page.inputValue('#reply-body');
    assert.ok(value.startsWith('Hello Pat,\n\nIn NextGen CM/ECF you sign in with your PACER account'), value);
    assert.match(value, /\n1\. Go to the PACER sign-in page/);
    assert.match(value, /\n- If your email address on PACER is out of date/);
    assert.match(value, /\/faq\/forgot-password\n\nBest wishes, Ada$/);
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reply-body', 'focus goes back to the reply');
    await page.waitForFunction(() =>
      /Inserted the answer/.test(document.querySelector('[data-insert-status]')?.textContent ?? ''),
    );
    await expectUsable(page, 'the ticket page after inserting an answer');
  });

  it('without JavaScript, inserting posts the form and keeps the draft, then the reply sends with the keyboard alone', async () => {
    const page = await signedIn({ javaScriptEnabled: false });
    await page.goto(`${server.baseUrl}/staff/tickets/${reference}`);
    await tabTo(page, '#reply-body', 80);
    await page.keyboard.type('Hello Pat, here is how:');
    await chooseAnswerByKeyboard(page);
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/\/insert$/), page.keyboard.press('Enter')]);
    const value = await page.inputValue('#reply-body');
    assert.ok(value.startsWith('Hello Pat, here is how:\n\nIn NextGen CM/ECF you sign in'), value);
    assert.match(value, /\n2\. Choose Forgot Password\?/);
    assert.match(await page.locator('.panel-success').innerText(), /Inserted the answer “I forgot my CM\/ECF password/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    // axe needs scripts: the page the form's post returns is checked in a browser that has them.
    const checked = await signedIn();
    await checked.goto(`${server.baseUrl}/staff/tickets/${reference}`);
    await Promise.all([
      checked.waitForURL(/\/insert$/),
      checked.evaluate(() => {
        const form = document.querySelector('form[data-insert-answer]') as HTMLFormElement;
        form.action = (form.querySelector('[data-insert-button]') as HTMLButtonElement).formAction;
        form.submit();
      }),
    ]);
    await expectUsable(checked, 'the ticket page after inserting without JavaScript');

    await tabTo(page, '.reply-form button:not([data-insert-button])', 20);
    await Promise.all([page.waitForURL(/done=reply/), page.keyboard.press('Enter')]);
    assert.match(await page.locator('.thread').innerText(), /Hello Pat, here is how:\s+In NextGen CM\/ECF/);
  });

  it('tells the history in words, and passes axe with no sideways scrolling at 1280 and 390 pixels', async () => {
    for (const width of [1280, 390]) {
      const page = await signedIn({ width });
      await page.goto(`${server.baseUrl}/staff/tickets/${reference}`);
      if (width === 1280) {
        // Claimed and set to waiting with the keyboard alone, from the actions panel.
        await tabTo(page, 'form[action$="/claim"] button', 120);
        await Promise.all([page.waitForURL(/done=claim/), page.keyboard.press('Enter')]);
        await tabTo(page, '#status', 120);
        await page.keyboard.type('Waiting', { delay: 20 });
        await page.keyboard.press('Tab');
        await Promise.all([page.waitForURL(/done=status/), page.keyboard.press('Enter')]);
      }
      const history = await page.locator('.history').innerText();
      assert.match(history, /Ada Agent claimed it \(was unassigned\); status changed from New to Open\./);
      assert.match(history, /Status changed from Open to Waiting for the filer by Ada Agent\./);
      assert.doesNotMatch(history, /[{}]|assigneeId/);
      const details = await page.locator('.summary').innerText();
      assert.match(details, /\(206\) 555-0142/);
      assert.match(details, /Paused while waiting for the filer/);
      assert.match(await page.locator('#others-heading + ul').innerText(), /An older request about fees/);
      await expectUsable(page, `the ticket page at ${width} pixels`);
    }
  });
});

import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff } from '../helpers/browser';
import { buildStaff, buildTicket } from '../helpers/factories';

describe('a helpdesk agent in a real browser', function () {
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

  it('signs in, finds a ticket by search, claims it, replies, adds a note and resolves it; the filer sees the reply, not the note', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent', role: 'admin' });
    await buildTicket(t, { subject: 'Unrelated question about fees' });
    const payload = '<script>window.__hacked = true</script><b>bold?</b>';
    const { ticket, statusToken } = await buildTicket(t, {
      subject: 'NEF link asks for a login',
      body: `The document link fails. ${payload}`,
    });
    const page = await context.newPage();

    await page.goto(`${server.baseUrl}/staff`);
    await page.waitForURL(/\/staff\/sign-in/);
    await expectAccessible(page, 'the sign-in page');
    await page.fill('#email', staff.email);
    await page.fill('#password', staff.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff$/);
    await expectAccessible(page, 'the queue');

    await page.fill('#q', 'document link');
    await page.click('text=Show');
    await page.waitForURL(/q=document/);
    const rows = page.locator('table.queue tbody tr');
    assert.equal(await rows.count(), 1);
    await page.click(`text=${ticket.reference}`);
    await page.waitForURL(new RegExp(ticket.reference));
    assert.equal(await page.evaluate(() => (window as unknown as { __hacked?: boolean }).__hacked), undefined);
    assert.match(await page.locator('.thread').innerText(), /<script>window.__hacked = true<\/script><b>bold\?<\/b>/);
    await expectAccessible(page, 'the ticket page');

    await page.click('text=Claim this ticket');
    await page.waitForSelector('text=You claimed this ticket.');
    await page.fill('#reply-body', 'Log in to PACER first, then open the link again.');
    await page.click('text=Send reply');
    // The test server has no mail relay, so the reply is saved on the ticket and not emailed.
    await page.waitForSelector('text=Reply saved on the ticket.');
    await page.fill('#note-body', 'Second time this week for this filer.');
    await page.click('text=Add note');
    await page.waitForSelector('text=Only staff can see it.');
    await page.selectOption('#status', 'resolved');
    await page.click('text=Change status');
    await page.waitForSelector('text=Status changed.');
    const history = await page.locator('.history').innerText();
    assert.match(history, /Sam Agent claimed it \(was unassigned\)/);
    assert.match(history, /Sam Agent replied/);
    assert.match(history, /Sam Agent added a note/);
    assert.match(history, /Status changed from Waiting for the filer to Resolved by Sam Agent/);
    await expectAccessible(page, 'the ticket page after work');

    for (const path of ['/staff?status=rejected', '/staff/faq', '/staff/users', '/staff/callbacks']) {
      await page.goto(`${server.baseUrl}${path}`);
      await expectAccessible(page, path);
    }

    const filer = await context.newPage();
    await filer.goto(`${server.baseUrl}/requests/${statusToken}`);
    const thread = await filer.locator('.thread').innerText();
    assert.match(thread, /Log in to PACER first/);
    assert.doesNotMatch(thread, /Second time this week/);
  });

  it('shows a refused request its refusal page, and staff find it in the Rejected view', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/help`);
    await page.fill('#name', 'Lee Filer');
    await page.fill('#email', 'lee@example.com');
    await page.fill('#subject', 'Message for the judge');
    await page.fill('#body', 'Please forward my letter to Judge Chen before Friday.');
    await page.evaluate(() => {
      (document.querySelector('input[name=suggestionsSeen]') as HTMLInputElement).value = 'yes';
    });
    await page.click('text=Send my request');
    await page.waitForURL(/\/received$/);
    assert.match(await page.locator('h1').innerText(), /cannot help with this request/);
    assert.match(await page.locator('.panel-refusal').innerText(), /cannot pass messages to a judge/);
    const reference = (await page.locator('.reference').innerText()).trim();
    await expectAccessible(page, 'the refusal page');
    await page.click('.private-link a');
    await expectAccessible(page, 'the status page of a refused request');

    const staffPage = await context.newPage();
    await signInAsStaff(staffPage, server.baseUrl, staff);
    await staffPage.click('nav[aria-label=Staff] >> text=Rejected');
    await staffPage.waitForURL(/status=rejected/);
    assert.match(await staffPage.locator('table.queue').innerText(), new RegExp(reference));
    await staffPage.click(`text=${reference}`);
    assert.match(await staffPage.locator('#policy-heading').innerText(), /Refused by the intake policy/);
    await expectAccessible(staffPage, 'a refused ticket');
  });
});

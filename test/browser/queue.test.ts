import assert from 'node:assert/strict';
import type { Express } from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, signInAsStaff, tabTo } from '../helpers/browser';
import { buildStaff, buildTicket } from '../helpers/factories';
import { rawMail } from '../helpers/mail-factories';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

interface Layer {
  handle: unknown;
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every GET path of the app's routers under /staff, as the route table lists them. */
function staffPagePaths(app: Express): string[] {
  const paths: string[] = [];
  const walk = (layers: Layer[]) => {
    for (const layer of layers) {
      const nested = (layer.handle as { stack?: Layer[] } | undefined)?.stack;
      if (!layer.route && nested) walk(nested);
      else if (layer.route?.methods.get && /^\/staff(\/|$)/.test(layer.route.path)) paths.push(layer.route.path);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return paths;
}

// Pages reached only on the way in (signing in, first set-up), and downloads rather than pages.
const NOT_PAGES = /^\/staff\/(sign-in|setup|mail\/:id\/raw|attachments\/:id)(\/|$)|\.[a-z]+$/;

/** Presses Shift+Tab until the element matching `selector` has focus. */
async function shiftTabTo(page: Page, selector: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Shift+Tab');
  }
  throw new Error(`could not reach ${selector} with Shift+Tab`);
}

describe('the staff queue in a real browser', function () {
  this.timeout(180_000);
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
    context = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
  });
  afterEach(async () => {
    await context.close();
    await server.stop();
    await t.close();
  });

  async function expectAccessible(page: Page, what: string) {
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);
  }

  const statusOf = async (id: number) => ((await t.db('tickets').where({ id }).first('status')) as { status: string }).status;

  it('changes the status of tickets selected with the mouse, and tags tickets selected with the keyboard alone', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const a = await buildTicket(t, { subject: 'First printer question' });
    const b = await buildTicket(t, { subject: 'Second printer question' });
    const c = await buildTicket(t, { subject: 'Left alone' });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);

    await page.click(`#select-${a.ticket.id}`);
    await page.click(`#select-${b.ticket.id}`);
    assert.equal(await page.locator('[data-selected-count]').innerText(), '(2 selected)');
    await page.selectOption('#bulk-status', 'resolved');
    await page.click('button[value="status"]');
    await page.waitForSelector('text=Status changed on 2 tickets.');
    assert.deepEqual(
      [await statusOf(a.ticket.id), await statusOf(b.ticket.id), await statusOf(c.ticket.id)],
      ['resolved', 'resolved', 'new'],
    );

    // Keyboard only: select all shown with the heading's box, take one off, then tag.
    await page.goto(`${server.baseUrl}/staff?status=all`);
    await tabTo(page, '#select-all', 80);
    await page.keyboard.press('Space');
    await tabTo(page, `#select-${c.ticket.id}`);
    await page.keyboard.press('Space');
    assert.equal(await page.locator('[data-selected-count]').innerText(), '(2 selected)');
    await shiftTabTo(page, '#bulk-tag');
    await page.keyboard.type('Printer');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Add tag');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Tag added to 2 tickets.');
    assert.deepEqual(await t.db('ticket_tags').orderBy('ticket_id').pluck('ticket_id'), [a.ticket.id, b.ticket.id]);
    assert.deepEqual([...new Set(await t.db('ticket_tags').pluck('tag'))], ['printer']);
  });

  it('has no WCAG problem axe can find at 1280 and at 390 pixels, with badges, a saved filter and an error shown', async () => {
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const late = await buildTicket(t, {
      subject: 'Overdue request about a very long attachment name',
      caseNumber: '2:24-cv-01234',
    });
    await buildTicket(t, {
      subject: 'Another request',
      email: 'a.very.long.address.of.a.law.firm.paralegal@firm-with-a-long-name.example',
    });
    await t
      .db('tickets')
      .where({ id: late.ticket.id })
      .update({ first_response_due_at: new Date(Date.now() - 60_000).toISOString() });
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, staff);
    await page.fill('#filter-name', 'Everything new');
    await page.click('text=Save filter');
    await page.waitForSelector('text=Filter saved.');
    await page.click(`#select-${late.ticket.id}`);
    await page.selectOption('#bulk-assigneeId', String(staff.id));
    await page.click('button[value="assign"]');
    await page.waitForSelector('text=Assignment saved on 1 ticket.');
    await page.click(`#select-${late.ticket.id}`);
    await page.fill('#bulk-tag', 'bad <tag>');
    await page.click('button[value="tag"]');
    await page.waitForSelector('text=There is a problem');
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await expectAccessible(page, `the queue with an error at ${viewport.width} px`);
      await page.goto(`${server.baseUrl}/staff`);
      await expectAccessible(page, `the queue at ${viewport.width} px`);
      assert.ok(
        (await page.evaluate(() => (document.scrollingElement as Element).scrollWidth)) <= viewport.width,
        `the queue scrolls sideways at ${viewport.width} px`,
      );
      await page.goBack();
    }
  });

  it('shows every staff page in 390 pixels without scrolling the page sideways', async () => {
    const admin = await buildStaff(t, { name: 'Alex Administrator-With-A-Long-Name', role: 'admin' });
    const { ticket } = await buildTicket(t, {
      subject: 'Upload of https://ecf.court.example/cgi-bin/DktRpt.pl?123456789012345678901234567890 fails',
      email: 'a.very.long.address.of.a.law.firm.paralegal@firm-with-a-long-name.example',
      body: `The link ${'https://ecf.court.example/doc1/'.padEnd(120, '0')} gives an error. Case 2:24-cv-01234.`,
      caseNumber: '2:24-cv-01234',
    });
    await t.services.tickets.create(
      {
        name: 'Pat Filer',
        email: 'pat@example.com',
        subject: 'Forgot my password',
        body: 'I forgot my CM/ECF password and cannot log in.',
      },
      'web',
    );
    await t
      .db('ticket_tags')
      .insert({ ticket_id: ticket.id, tag: 'a long tag about pacer logins', created_at: new Date().toISOString() });
    const outage = await t.services.outages.declare({
      scope: 'cmecf',
      message: 'CM/ECF does not load.',
      actor: `staff:${admin.id}`,
    });
    const { slots } = await t.services.callbacks.slots(undefined, 14);
    await t.services.callbacks.book({
      name: 'Pat Filer-With-A-Very-Long-Hyphenated-Family-Name',
      phone: '(206) 555-0142',
      email: 'a.very.long.address.of.a.law.firm.paralegal@firm-with-a-long-name.example',
      start: slots[0].start,
      topic: `Cannot open ${'https://ecf.court.example/doc1/'.padEnd(90, '0')}`,
    });
    // Mailing-list mail is set aside on the Mail page, with its subject.
    const mail = await rawMail({
      subject: `Digest ${'x'.repeat(80)}`,
      headers: { 'List-Id': '<announcements.lists.court-with-a-long-name.example>' },
    });
    await t.services.mail.intake.processPending(await t.services.mail.intake.store([{ raw: mail, source: 'import' }]));
    const page = await context.newPage();
    await signInAsStaff(page, server.baseUrl, admin);
    await page.setViewportSize(PHONE);

    const samples: Array<[RegExp, string]> = [
      [/:reference/, ticket.reference],
      [/^\/staff\/faq\/:id/, '/staff/faq/forgot-password'],
      [/^\/staff\/users\/:id/, `/staff/users/${admin.id}`],
      [/^\/staff\/status\/:id/, `/staff/status/${outage.id}`],
    ];
    const paths = staffPagePaths(t.app).filter((path) => !NOT_PAGES.test(path));
    assert.ok(paths.length >= 12, `only ${paths.length} staff pages found`);
    const wide: string[] = [];
    for (const path of paths) {
      const url = samples.reduce((u, [pattern, value]) => u.replace(pattern, value), path);
      assert.doesNotMatch(url, /:[a-z]/i, `${path}: add a sample value for its parameter to this test`);
      const response = await page.goto(`${server.baseUrl}${url}`);
      if (!response?.headers()['content-type']?.startsWith('text/html')) continue;
      assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
      const width = await page.evaluate(() => (document.scrollingElement as Element).scrollWidth);
      if (width > PHONE.width) wide.push(`${url}: ${width} px`);
    }
    assert.deepEqual(wide, [], 'these staff pages are wider than a 390-pixel phone');
  });
});

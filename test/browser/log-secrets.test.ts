import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Browser, Cookie, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, serve } from '../helpers/browser';
import { buildStaff } from '../helpers/factories';

const SSN = '123-45-6789';
const BIRTH_DATE = '04/12/1961';

describe("the server's log of a whole browser run", function () {
  this.timeout(90_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  const lines: string[] = [];

  before(async () => {
    browser = await launchBrowser();
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await buildTestApp({
      now: () => new Date('2027-03-10T17:00:00Z'), // Wednesday 09:00 PST: callbacks can be booked
      deps: { logger: pino({ level: 'info' }, stream) },
    });
    server = await serve(t);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /** The value of every hidden CSRF field on the page. */
  const csrfTokensOn = (page: Page) =>
    page.locator('input[name=_csrf]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));

  it('holds no cookie, token, CSRF token or private number sent during sign-in, requests and callbacks', async () => {
    const seenCsrf = new Set<string>();
    const filer = await browser.newContext();
    const page = await filer.newPage();

    // A request through the form, with a Social Security number and a birth date in it.
    await page.goto(`${server.baseUrl}/help`);
    for (const token of await csrfTokensOn(page)) seenCsrf.add(token);
    await page.fill('#name', 'Jordan Example');
    await page.fill('#email', 'jordan@example.com');
    await page.fill('#subject', 'Cannot log in to CM/ECF');
    await page.fill('#body', `PACER says my account is locked. My SSN is ${SSN} and my date of birth is ${BIRTH_DATE}.`);
    await page.click('form[action="/help"] button[type=submit]');
    await page.waitForLoadState('domcontentloaded');
    if (await page.locator('text=Before you send your request').count()) await page.click('text=Send my request');
    await page.waitForURL(/\/requests\/[A-Za-z0-9_-]{43}\/received$/);
    await page.click('.private-link a');
    await page.waitForURL(/\/requests\/[A-Za-z0-9_-]{43}$/);
    const statusToken = /\/requests\/([A-Za-z0-9_-]{43})$/.exec(page.url())![1];
    for (const token of await csrfTokensOn(page)) seenCsrf.add(token);

    // An FAQ search with the number typed into it.
    await page.goto(`${server.baseUrl}/faq?q=${encodeURIComponent(SSN)}`);

    // A callback whose topic holds the number, then its manage page and invitation.
    await page.goto(`${server.baseUrl}/callbacks`);
    for (const token of await csrfTokensOn(page)) seenCsrf.add(token);
    // The day first (a month of bookable days), then one of its times.
    await page.locator('a[data-day]').first().click();
    await page.locator('input[name=start]').first().check();
    await page.fill('#name', 'Jordan Example');
    await page.fill('#phone', '206 555 0142');
    await page.fill('#email', 'jordan@example.com');
    await page.fill('#topic', `Locked out; SSN ${SSN}, born ${BIRTH_DATE}`);
    await page.click('text=Book the call');
    await page.waitForURL(/\/callbacks\/manage\/[A-Za-z0-9_-]{43}\?done=booked$/);
    const manageToken = /\/callbacks\/manage\/([A-Za-z0-9_-]{43})/.exec(page.url())![1];
    for (const token of await csrfTokensOn(page)) seenCsrf.add(token);
    const invite = await page.request.get(`${server.baseUrl}/callbacks/manage/${manageToken}/invite.ics`);
    assert.equal(invite.status(), 200);

    // A helpdesk agent signs in, opens the queue and the ticket, and searches the queue.
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const desk = await browser.newContext();
    const board = await desk.newPage();
    await board.goto(`${server.baseUrl}/staff`);
    await board.waitForURL(/\/staff\/sign-in/);
    for (const token of await csrfTokensOn(board)) seenCsrf.add(token);
    await board.fill('#email', staff.email);
    await board.fill('#password', staff.password);
    await board.keyboard.press('Enter');
    await board.waitForURL(/\/staff$/);
    await board.click('table.queue tbody tr a');
    await board.waitForURL(/\/staff\/tickets\/HD-\d{4}-\d{6}$/);
    for (const token of await csrfTokensOn(board)) seenCsrf.add(token);
    await board.goto(`${server.baseUrl}/staff`);
    await board.fill('#q', SSN);
    await board.click('text=Show');
    await board.waitForURL(/q=123/);
    await board.fill('#q', `born ${BIRTH_DATE}`);
    await board.click('text=Show');
    await board.waitForURL(/q=born/);
    await board.goto(`${server.baseUrl}/staff/callbacks`);

    const cookies: Cookie[] = [...(await filer.cookies()), ...(await desk.cookies())];
    const staffCookie = cookies.find((c) => c.name === 'hd_staff');
    assert.ok(staffCookie, 'the agent is signed in');
    await desk.close();
    await filer.close();

    assert.ok(lines.length >= 15, `the run was logged (${lines.length} lines)`);
    const log = lines.join('\n');
    const secrets: Array<[string, string]> = [
      ['the status token', statusToken],
      ['the manage token', manageToken],
      ['the Social Security number', SSN],
      ['the Social Security number without dashes', SSN.replace(/-/g, '')],
      ['the birth date', BIRTH_DATE],
      ['the birth date, URL-encoded', encodeURIComponent(BIRTH_DATE)],
      ...cookies.map((c): [string, string] => [`the ${c.name} cookie`, c.value]),
      ...[...seenCsrf].map((token): [string, string] => ['a CSRF token', token]),
    ];
    assert.ok(seenCsrf.size > 0 && cookies.length >= 3);
    for (const [what, secret] of secrets) assert.ok(!log.includes(secret), `${what} is in the log`);
    assert.doesNotMatch(log, /hd_staff=|set-cookie|"cookie"/i);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';

// Wednesday 2027-03-10, 09:00 in Los Angeles: 30 days ahead are bookable (the default horizon).
const NOW = new Date('2027-03-10T17:00:00Z');
// Set SCREENSHOTS=/some/folder to keep a picture of every page the tests look at.
const SCREENSHOTS = process.env.SCREENSHOTS;

const WORDS = {
  en: {
    booked: /Your callback is booked/,
    moved: /moved to the new time/,
    when: /Thursday, March 11, 2027 at 9:15 a\.m\. PST/,
    whenByMouse: /Friday, March 12, 2027 at 2:30 p\.m\. PST/,
    movedTo: /Monday, March 15, 2027 at 9:00 a\.m\. PDT/,
    yourTime: /Your time: Thursday, March 11, 9:15 a\.m\./,
    month: 'March 2027',
    nextMonth: 'April 2027',
    anotherDay: 'Choose another day',
    submit: 'Book the call',
    move: 'Move my call',
    cancel: 'Cancel my call',
    confirm: 'Yes, cancel my call',
    cancelled: /This call is cancelled/,
    weWillCall: /We will call/,
    bookAgain: 'Book a new call',
  },
  es: {
    booked: /Su llamada está reservada/,
    moved: /se cambió a la nueva hora/,
    when: /jueves, 11 de marzo de 2027, a las 9:15 a\.m\. PST/,
    whenByMouse: /viernes, 12 de marzo de 2027, a las 2:30 p\.m\. PST/,
    movedTo: /lunes, 15 de marzo de 2027, a las 9:00 a\.m\. PDT/,
    yourTime: /Su hora: jueves, 11 de marzo, 9:15 a\.m\./,
    month: 'Marzo de 2027',
    nextMonth: 'Abril de 2027',
    anotherDay: 'Elegir otro día',
    submit: 'Reservar la llamada',
    move: 'Cambiar mi llamada',
    cancel: 'Cancelar mi llamada',
    confirm: 'Sí, cancelar mi llamada',
    cancelled: /Esta llamada está cancelada/,
    weWillCall: /Le llamaremos/,
    bookAgain: 'Reservar una llamada nueva',
  },
} as const;

describe('the callback calendar: day first, then times, in a real browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let shot = 0;

  before(async () => {
    browser = await launchBrowser();
    t = await buildTestApp({ now: () => NOW });
    server = await serve(t);
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /** Axe finds nothing at desktop width and at 390 px; the picture is kept when SCREENSHOTS is set. */
  async function check(page: Page, what: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      assert.deepEqual(await axeViolations(page), [], `axe on ${what} at ${width} px`);
      if (SCREENSHOTS)
        await page.screenshot({
          path: path.join(SCREENSHOTS, `${String(++shot).padStart(2, '0')}-${what}-${width}.png`),
          fullPage: true,
        });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const newPage = async (language: 'en' | 'es', javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/callbacks?lang=${language}`);
    return { context, page };
  };

  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        date: el?.closest('td')?.getAttribute('data-date') ?? null,
        id: el?.id ?? '',
        value: (el as HTMLInputElement)?.value,
      };
    });

  for (const language of ['en', 'es'] as const) {
    const w = WORDS[language];

    it(`[${language}] books by keyboard alone: one Tab stop in the month, arrows by day, Page Down by month, Enter loads the times in place`, async () => {
      const { context, page } = await newPage(language);
      await check(page, `${language}-book-month`);
      assert.equal(await page.locator('.month-title').innerText(), w.month);
      assert.equal(await page.locator('.month-grid [tabindex="0"]').count(), 1, 'one Tab stop in the month');

      await tabTo(page, '.month-grid [tabindex="0"]');
      assert.equal((await focused(page)).date, '2027-03-10', 'starts on today');
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).date, null, 'the next Tab leaves the month');
      await page.keyboard.press('Shift+Tab');
      assert.equal((await focused(page)).date, '2027-03-10');

      await page.keyboard.press('ArrowDown');
      assert.equal((await focused(page)).date, '2027-03-17');
      await page.keyboard.press('End');
      assert.equal((await focused(page)).date, '2027-03-20', 'a Saturday: focusable, with no times');
      await page.keyboard.press('Home');
      assert.equal((await focused(page)).date, '2027-03-14');
      await page.keyboard.press('PageDown');
      await page.waitForFunction(() => document.querySelector('.month')?.getAttribute('data-month') === '2027-04');
      assert.equal(await page.locator('.month-title').innerText(), w.nextMonth);
      assert.equal((await focused(page)).date, '2027-04-14', 'Page Down keeps the day of the month');
      await page.keyboard.press('PageUp');
      await page.waitForFunction(() => document.querySelector('.month')?.getAttribute('data-month') === '2027-03');
      assert.equal((await focused(page)).date, '2027-03-14');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal((await focused(page)).date, '2027-03-11');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'times-legend');
      assert.match(page.url(), /\?day=2027-03-11$/);
      assert.equal(await page.locator('#your-details').isVisible(), true);

      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).value, '2027-03-11T09:00:00-08:00', 'the times are one radio group, first time first');
      await page.keyboard.press('ArrowRight');
      assert.equal((await focused(page)).value, '2027-03-11T09:15:00-08:00');
      assert.match(await page.locator('#chosen-time').innerText(), w.yourTime, 'the chosen time is plainly shown');
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).id, 'name', 'one Tab stop for the times');
      await page.keyboard.type('Casey Caller');
      await tabTo(page, '#phone');
      await page.keyboard.type('206 555 0142');
      await tabTo(page, '#email');
      await page.keyboard.type('casey@example.com');
      await tabTo(page, '#topic');
      await page.keyboard.type('PDF will not upload');
      await check(page, `${language}-book-times`);
      await tabTo(page, 'form.callback-form button[type=submit]');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/callbacks\/manage\/.+done=booked/);
      assert.match(await page.locator('[role=status]').first().innerText(), w.booked);
      assert.match(await page.locator('.summary').innerText(), w.when);
      assert.equal((await t.db('callbacks').orderBy('id', 'desc').first()).language, language);
      await check(page, `${language}-manage`);
      await context.close();
    });

    it(`[${language}] books by mouse; what was typed survives choosing another day; then reschedules and cancels after one question`, async () => {
      const { context, page } = await newPage(language);
      await page.click('a[data-day="2027-03-11"]');
      await page.waitForSelector('#times-legend');
      await page.fill('#name', 'Morgan Mouse');
      await page.fill('#phone', '(206) 555-0199');
      await page.fill('#topic', 'Login problem');
      await page.click(`summary:text-is("${w.anotherDay}")`);
      await page.click('a[data-day="2027-03-12"]');
      await page.waitForURL(/day=2027-03-12/);
      await page.waitForSelector('input[value="2027-03-12T14:30:00-08:00"]');
      assert.equal(await page.inputValue('#name'), 'Morgan Mouse', 'the name survives another day');
      assert.equal(await page.inputValue('#phone'), '(206) 555-0199');
      assert.equal(await page.inputValue('#topic'), 'Login problem');
      await page.click('input[value="2027-03-12T14:30:00-08:00"]'); // the whole box of 2:30 p.m.
      assert.equal(await page.isChecked('input[value="2027-03-12T14:30:00-08:00"]'), true);
      await page.fill('#email', 'morgan@example.com');
      await page.click(`button:text-is("${w.submit}")`);
      await page.waitForURL(/done=booked/);
      assert.match(await page.locator('.summary').innerText(), w.whenByMouse);

      // Reschedule with the same picker.
      await page.click('a[data-day="2027-03-15"]');
      await page.waitForSelector('input[value="2027-03-15T09:00:00-07:00"]');
      await check(page, `${language}-reschedule`);
      await page.click('input[value="2027-03-15T09:00:00-07:00"]');
      await page.click(`button:text-is("${w.move}")`);
      await page.waitForURL(/done=moved/);
      assert.match(await page.locator('[role=status]').first().innerText(), w.moved);
      assert.match(await page.locator('.summary').innerText(), w.movedTo);

      // Cancel asks once, then says it is cancelled and offers to book again.
      await page.click(`a:text-is("${w.cancel}")`);
      await page.waitForURL(/\/cancel$/);
      assert.match(await page.locator('main').innerText(), w.movedTo);
      await check(page, `${language}-cancel-confirm`);
      await page.click(`button:text-is("${w.confirm}")`);
      await page.waitForURL(/done=cancelled/);
      const main = await page.locator('main').innerText();
      assert.match(main, w.cancelled);
      assert.doesNotMatch(main, w.weWillCall, 'a cancelled call never says it will be made');
      assert.equal(await page.locator(`a[href="/callbacks"]:text-is("${w.bookAgain}")`).count(), 1);
      await check(page, `${language}-cancelled`);
      await page.reload();
      assert.doesNotMatch(await page.locator('main').innerText(), w.weWillCall);
      await context.close();
    });

    it(`[${language}] without JavaScript: days are links, then a short list of times; book, reschedule and cancel the same way`, async () => {
      const { context, page } = await newPage(language, false);
      assert.equal(await page.locator('input[name=start]').count(), 0, 'no times before a day is chosen');
      assert.equal(await page.locator('#name').isVisible(), false, 'the details come once a day is chosen');
      await page.click('a[href="?day=2027-03-11"]');
      assert.match(page.url(), /\?day=2027-03-11$/);
      const times = await page.locator('input[name=start]').count();
      assert.ok(times > 20 && times <= 28, `one day of times, not a month of them (${times})`);
      await page.check('input[value="2027-03-11T10:00:00-08:00"]');
      await page.fill('#name', 'Nora NoScript');
      await page.fill('#phone', '206 555 0111');
      await page.fill('#email', 'nora@example.com');
      await page.click(`button:text-is("${w.submit}")`);
      await page.waitForURL(/done=booked/);
      assert.match(await page.locator('[role=status]').first().innerText(), w.booked);

      await page.click('a[href="?day=2027-03-15"]');
      await page.check('input[value="2027-03-15T09:00:00-07:00"]');
      await page.click(`button:text-is("${w.move}")`);
      await page.waitForURL(/done=moved/);
      assert.match(await page.locator('.summary').innerText(), w.movedTo);

      await page.click(`a:text-is("${w.cancel}")`);
      await page.click(`button:text-is("${w.confirm}")`);
      await page.waitForURL(/done=cancelled/);
      assert.match(await page.locator('main').innerText(), w.cancelled);
      assert.doesNotMatch(await page.locator('main').innerText(), w.weWillCall);
      await context.close();
    });
  }

  it('is under 1,500 px tall at 390 px wide with 30 days bookable, in both languages', async () => {
    // A court open every day, no holidays or maintenance: today and the 30 days after it are all bookable.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callbacks-profile-'));
    const profile = path.join(dir, 'every-day.json');
    const day = ['09:00', '16:00'];
    writeFileSync(
      profile,
      JSON.stringify({
        hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
        holidays: 'none',
        maintenance: [],
      }),
    );
    const open = await buildTestApp({ now: () => NOW, env: { COURT_PROFILE: profile } });
    const openServer = await serve(open);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      for (const language of ['en', 'es']) {
        await page.goto(`${openServer.baseUrl}/callbacks?lang=${language}`);
        const march = await page.locator('a[data-day]').count();
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `every-day-${language}-390.png`), fullPage: true });
        await page.goto(`${openServer.baseUrl}/callbacks?month=2027-04`);
        assert.equal(march + (await page.locator('a[data-day]').count()), 31, 'today and the 30 days after it');
        assert.ok(height < 1500, `${language}: ${height} px`);
      }
    } finally {
      await context.close();
      await openServer.stop();
      await open.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

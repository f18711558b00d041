import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve, tabTo } from '../helpers/browser';

// Monday, November 23, 2026, 10:00 a.m. Pacific: open, with an outage declared so the banner shows.
const MONDAY = new Date('2026-11-23T18:00:00Z');
const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const SPANISH_PAGES = ['/', '/hours', '/faq', '/faq?q=contraseña', '/status', '/status/report', '/no-such-page'];

describe('English and Spanish in a real browser', function () {
  this.timeout(180_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext | undefined;

  before(async () => {
    browser = await launchBrowser();
    t = await buildTestApp({ now: () => MONDAY });
    await t.services.outages.declare({
      scope: 'cmecf',
      message: 'CM/ECF no responde. / CM/ECF does not answer.',
      startedAt: '2026-11-23T08:50',
      actor: 'cli',
    });
    server = await serve(t);
  });
  after(async () => {
    await server?.stop();
    await t?.close();
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

  it('switches to Spanish and back with the keyboard alone, and keeps the choice from page to page', async () => {
    context = await browser.newContext({ viewport: SIZES[0].viewport, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/faq?q=password`);
    assert.equal(await htmlLang(page), 'en');

    await tabTo(page, '.language-switch a[hreflang="es"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=es/);
    assert.equal(await htmlLang(page), 'es');
    assert.match(await page.locator('h1').innerText(), /Respuestas a preguntas frecuentes/);
    assert.equal(await page.locator('#q').inputValue(), 'password', 'the search is kept');

    // The cookie keeps Spanish on the next page, reached by keyboard too.
    await tabTo(page, 'nav a[href="/status"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/status$/);
    assert.equal(await htmlLang(page), 'es');
    assert.match(await page.locator('h1').innerText(), /¿Funciona CM\/ECF\?/);

    await tabTo(page, '.language-switch a[hreflang="en"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=en/);
    assert.equal(await htmlLang(page), 'en');
    assert.match(await page.locator('h1').innerText(), /Is CM\/ECF working\?/);
  });

  for (const size of SIZES) {
    it(`shows the Spanish pages axe-clean at ${size.viewport.width} px`, async () => {
      // bypassCSP only lets the test inject axe-core; the pages themselves need no script.
      context = await browser.newContext({ bypassCSP: true, viewport: size.viewport, locale: 'es-US' });
      const page = await context.newPage();
      for (const path of SPANISH_PAGES) {
        await page.goto(`${server.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=es`);
        assert.equal(await htmlLang(page), 'es', path);
        assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${path} in Spanish`);
        // Nothing wider than the screen at phone width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen at ${size.viewport.width}px`);
        if (size.name === 'phone' && process.env.SCREENSHOTS_DIR) {
          await page.screenshot({
            path: `${process.env.SCREENSHOTS_DIR}/es${path.replace(/[^a-z]+/gi, '-')}390.png`,
            fullPage: true,
          });
        }
      }
    });
  }
});

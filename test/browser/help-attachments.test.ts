import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app';
import { axeViolations, launchBrowser, serve } from '../helpers/browser';

const WAWD = path.join(__dirname, '..', '..', 'profiles', 'wawd.json');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 9)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0), Buffer.from('This program cannot be run in DOS mode.')]);
// Screenshots for a person to look at (SCREENSHOT_DIR); none when it is unset.
const SHOTS = process.env.SCREENSHOT_DIR;

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

describe('a filer sends files and meets a refusal in a real browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let server: { baseUrl: string; stop: () => Promise<void> };
  let context: BrowserContext | undefined;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await buildTestApp({ env: { COURT_PROFILE: WAWD } });
    server = await serve(t);
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await server.stop();
    await t.close();
  });

  const withoutScript = new WeakSet<Page>();

  /** A browser tab; `script: false` for the same flows without JavaScript. */
  async function open(options: { script: boolean }): Promise<Page> {
    // bypassCSP only lets the test inject axe-core.
    context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: options.script });
    const page = await context.newPage();
    if (!options.script) withoutScript.add(page);
    return page;
  }

  /**
   * axe-clean at desktop width and at 390 px, with a screenshot of each when asked. axe is a script:
   * a page from a tab without JavaScript is checked as a copy, in a tab that runs scripts.
   */
  async function checkAtBothWidths(page: Page, what: string) {
    let checked = page;
    let copy: BrowserContext | undefined;
    if (withoutScript.has(page)) {
      copy = await browser.newContext({ bypassCSP: true });
      checked = await copy.newPage();
      // The same HTML at the same address, so its style sheet and links load as they did.
      const html = await page.content();
      await checked.route(page.url(), (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
      await checked.goto(page.url());
    }
    try {
      for (const size of WIDTHS) {
        await checked.setViewportSize({ width: size.width, height: size.height });
        assert.deepEqual(await axeViolations(checked), [], `axe found WCAG 2.1 A/AA problems on ${what} at ${size.width} px`);
        if (SHOTS)
          await checked.screenshot({ path: path.join(SHOTS, `${what.replace(/\W+/g, '-')}-${size.name}.png`), fullPage: true });
      }
    } finally {
      await copy?.close();
    }
  }

  async function fillRequest(page: Page, subject: string, body: string) {
    await page.fill('#name', 'Jordan Example');
    await page.fill('#email', 'jordan@example.com');
    await page.fill('#subject', subject);
    await page.fill('#body', body);
  }

  for (const lang of ['en', 'es'] as const) {
    it(`asks for help with a screenshot and a PDF, and sends a reply with a file (${lang}, without JavaScript)`, async () => {
      const page = await open({ script: false });
      await page.goto(`${server.baseUrl}/help?lang=${lang}`);
      await checkAtBothWidths(page, `help form ${lang}`);
      await fillRequest(
        page,
        'Upload stops at 99%',
        'When I upload my brief in CM/ECF the page stops at 99 percent and then shows an error.',
      );
      await page.setInputFiles('#attachments', [
        { name: 'error-screen.png', mimeType: 'image/png', buffer: PNG },
        { name: 'brief.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);
      await page.locator('form[action="/help"] button[type=submit]').click();
      await page.waitForURL(/\/requests\/[^/]+\/received$/);
      const main = await page.locator('main').innerText();
      assert.match(main, /error-screen\.png \(1 KB\)/);
      assert.match(main, /brief\.pdf \(1 KB\)/);
      assert.match(main, lang === 'es' ? /Qué pasa ahora/ : /What happens next/);
      await checkAtBothWidths(page, `received ${lang}`);

      await page.locator('.private-link a').click();
      await page.fill('#body', 'Here is the error again.');
      await page.setInputFiles('#attachments', [{ name: 'second.png', mimeType: 'image/png', buffer: PNG }]);
      await page.locator('form[action$="/replies"] button[type=submit]').click();
      await page.waitForURL(/done=sent/);
      assert.match(await page.locator('.thread').innerText(), /Here is the error again\.\s*second\.png \(1 KB\)/);
      await checkAtBothWidths(page, `status ${lang}`);
    });
  }

  it('refuses bad files with a clear error in Spanish and keeps everything typed (without JavaScript)', async () => {
    const page = await open({ script: false });
    await page.goto(`${server.baseUrl}/help?lang=es`);
    await fillRequest(page, 'No se sube mi escrito', 'El sistema no acepta mi archivo PDF cuando intento presentarlo.');
    const big = Buffer.alloc(30 * 1024 * 1024, 0x41);
    big.write('%PDF-1.7\n');
    const cases: Array<[string, Array<{ name: string; mimeType: string; buffer: Buffer }>, RegExp]> = [
      ['30 MB', [{ name: 'escrito.pdf', mimeType: 'application/pdf', buffer: big }], /pesa más de 10 MB/],
      ['exe', [{ name: 'factura.pdf', mimeType: 'application/pdf', buffer: EXE }], /no es realmente un archivo PDF/],
      [
        'six',
        Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.pdf`, mimeType: 'application/pdf', buffer: PDF })),
        /Eligió más de 5 archivos/,
      ],
    ];
    for (const [what, files, message] of cases) {
      await page.setInputFiles('#attachments', files);
      // Wait for the page that answers this post, not the one still showing the last error.
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/help', {
        timeout: 90_000,
      });
      await page.locator('form[action="/help"] button[type=submit]').click();
      await answered;
      await page.waitForLoadState('domcontentloaded');
      const summary = await page.locator('.error-summary').innerText();
      assert.match(summary, message, what);
      assert.match(summary, /elija sus archivos otra vez/, what);
      assert.equal(await page.inputValue('#subject'), 'No se sube mi escrito', `${what}: what was typed is kept`);
      assert.equal(await page.inputValue('#body'), 'El sistema no acepta mi archivo PDF cuando intento presentarlo.');
      assert.equal(await page.locator('#attachments').getAttribute('aria-invalid'), 'true');
    }
    await checkAtBothWidths(page, 'help form es file error');
    assert.equal(Number((await t.db('tickets').count({ n: '*' }))[0].n), 0);
  });

  for (const lang of ['en', 'es'] as const) {
    it(`shows a refusal with the court’s referrals and one next step (${lang}, with and without JavaScript)`, async () => {
      for (const script of [true, false]) {
        const page = await open({ script });
        await page.goto(`${server.baseUrl}/help?lang=${lang}`);
        await fillRequest(
          page,
          'Should I appeal?',
          'The judge dismissed my case yesterday. Should I appeal or file a motion for reconsideration, and what is my deadline?',
        );
        // With the script the suggestions were seen while typing; without it the confirmation step may come.
        await page.locator('form[action="/help"] button[type=submit]').click();
        await page.waitForLoadState('domcontentloaded');
        if (!/\/received$/.test(page.url())) {
          await page.locator('form[action="/help"]:has(input[name=confirmed]) button').click();
          await page.waitForURL(/\/received$/);
        }
        const main = await page.locator('main').innerText();
        assert.match(main, lang === 'es' ? /El tribunal le sugiere:/ : /The court suggests:/);
        assert.match(main, /Lawyer referral service of the state bar \(example\)/);
        assert.equal(await page.locator('main form').count(), 1, 'one next step');
        await checkAtBothWidths(page, `refusal ${lang} ${script ? 'script' : 'no-script'}`);
        await page.locator('#explanation').fill('I only need to know which menu to use to file my notice of appeal.');
        await page.locator('main form button[type=submit]').click();
        await page.waitForURL(/done=review/);
        assert.match(
          await page.locator('main').innerText(),
          lang === 'es' ? /volverá a revisar su solicitud/ : /look at your request again/,
        );
        await context?.close();
        context = undefined;
      }
    });
  }
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildPublicCss, staleFiles } from '../../scripts/build-public-css';

// What a first visit downloads before the page can be drawn: its stylesheets and the fonts they use.
const FIRST_LOAD_BUDGET = 150 * 1024;
const PAGES = ['/', '/help', '/faq', '/hours', '/callbacks', '/status', '/status/report'];

/** Stylesheets a page links to, and the fonts they refer to, each with its size in bytes. */
async function firstLoad(t: TestApp, page: string): Promise<Map<string, number>> {
  const html = (await request(t.app).get(page).expect(200)).text;
  const files = new Map<string, number>();
  for (const [, href] of html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) {
    const css = await request(t.app)
      .get(href)
      .expect(200)
      .expect('Content-Type', /text\/css/);
    files.set(href, Buffer.byteLength(css.text));
    for (const [, url] of css.text.matchAll(/url\("?([^")]+\.woff2?)"?\)/g)) {
      const font = new URL(url, `http://helpdesk${href}`).pathname;
      if (files.has(font)) continue;
      const res = await request(t.app).get(font).expect(200);
      files.set(font, (res.body as Buffer).length);
    }
  }
  return files;
}

describe('the weight of the public pages', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await buildTestApp();
  });
  after(async () => {
    await t.close();
  });

  for (const page of PAGES) {
    it(`keeps the CSS and fonts of ${page} on a first visit within 150 KB`, async () => {
      const files = await firstLoad(t, page);
      assert.ok(
        [...files.keys()].some((f) => f.endsWith('.woff2')),
        'the page uses the web font',
      );
      const total = [...files.values()].reduce((sum, n) => sum + n, 0);
      assert.ok(
        total <= FIRST_LOAD_BUDGET,
        `${page}: ${total} bytes of CSS and fonts (${[...files].map(([f, n]) => `${f} ${n}`).join(', ')})`,
      );
    });
  }

  it('serves every font and image the public stylesheet refers to', async () => {
    const css = (await request(t.app).get('/static/css/public.css').expect(200)).text;
    const urls = [...css.matchAll(/url\("?([^")]+)"?\)/g)].map(([, url]) => url).filter((url) => url !== '');
    assert.ok(urls.length > 0);
    for (const url of new Set(urls)) await request(t.app).get(new URL(url, 'http://helpdesk/static/css/').pathname).expect(200);
  });

  it('ships the stylesheet the Sass sources build (run npm run build:css after changing styles/)', () => {
    assert.deepEqual(staleFiles(buildPublicCss()), []);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { EXAMPLE_COURT_NAME, loadCourtProfile } from '../../src/config/court-profile';

describe('the official look of the public pages', function () {
  this.timeout(30_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'official-look-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function profile(name: string, contents: object): string {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(contents));
    return file;
  }

  describe('without a court profile', () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp();
    });
    after(async () => {
      await t.close();
    });

    it('names a made-up district marked as an example, and shows no government banner', async () => {
      assert.match(EXAMPLE_COURT_NAME, /^United States District Court, .*District of .*\(example\)$/);
      const home = await request(t.app).get('/').expect(200);
      assert.match(home.text, /<title>[^<]*Western District of Example \(example\)/);
      assert.match(
        home.text,
        /<p class="site-name"><a href="\/">United States District Court, Western District of Example \(example\)/,
      );
      assert.doesNotMatch(home.text, /gov-banner/);
    });

    it('serves a favicon at /favicon.ico and links an SVG one', async () => {
      const ico = await request(t.app).get('/favicon.ico').expect(200);
      assert.match(ico.headers['content-type'], /image\/(x-icon|vnd\.microsoft\.icon)/);
      assert.deepEqual([...(ico.body as Buffer).subarray(0, 4)], [0, 0, 1, 0], 'an ICO file');
      const home = await request(t.app).get('/').expect(200);
      assert.match(home.text, /<link rel="icon" href="\/static\/img\/favicon\.svg" type="image\/svg\+xml">/);
      await request(t.app)
        .get('/static/img/favicon.svg')
        .expect(200)
        .expect('Content-Type', /image\/svg\+xml/);
    });

    it('gives the public pages the USWDS stylesheet and leaves the staff pages on their own', async () => {
      const home = await request(t.app).get('/').expect(200);
      assert.match(home.text, /href="\/static\/css\/public\.css"/);
      assert.doesNotMatch(home.text, /site\.css/);
      const signIn = await request(t.app).get('/staff/sign-in').expect(200);
      assert.match(signIn.text, /href="\/static\/css\/site\.css"/);
      assert.doesNotMatch(signIn.text, /public\.css/);
    });
  });

  describe('with "officialBanner": true', () => {
    let t: TestApp;
    before(async () => {
      const file = profile('wawd-banner.json', {
        court: { name: 'United States District Court, Western District of Washington', id: 'wawd' },
        officialBanner: true,
      });
      t = await buildTestApp({ env: { COURT_PROFILE: file } });
    });
    after(async () => {
      await t.close();
    });

    it('shows the government banner in English and in Spanish, before the header, with the court named', async () => {
      const en = (await request(t.app).get('/?lang=en').expect(200)).text;
      assert.match(en, /<section class="gov-banner" aria-label="Official website of the United States government">/);
      assert.match(en, /An official website of the United States government[\s\S]*Here’s how you know/);
      assert.match(en, /Official websites use \.gov[\s\S]*Secure \.gov websites use HTTPS/);
      assert.ok(en.indexOf('gov-banner') < en.indexOf('site-header'));
      assert.match(en, /<title>[^<]*United States District Court, Western District of Washington/);
      assert.match(en, /class="site-footer__court">United States District Court, Western District of Washington/);

      const es = (await request(t.app).get('/help?lang=es').expect(200)).text;
      assert.match(es, /<html lang="es">/);
      assert.match(es, /Un sitio oficial del Gobierno de Estados Unidos[\s\S]*Así es como usted puede verificarlo/);
      assert.match(es, /Los sitios web oficiales usan \.gov[\s\S]*Los sitios web seguros \.gov usan HTTPS/);
    });

    it('opens the banner with <details>, which needs no script', async () => {
      const html = (await request(t.app).get('/faq').expect(200)).text;
      assert.match(html, /<section class="gov-banner"[^>]*>\s*<details>\s*<summary>/);
    });
  });

  it('refuses an officialBanner that is not true or false, naming the key', () => {
    const file = profile('bad-banner.json', { officialBanner: 'yes' });
    assert.throws(() => loadCourtProfile(file), /officialBanner: must be true or false/);
    assert.equal(loadCourtProfile(profile('no-banner.json', {})).officialBanner, false);
  });
});

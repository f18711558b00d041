import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/db/knex';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { freePort } from '../helpers/mail-servers';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const SETUP_LINK = /https?:\/\/[^\s"]+\/staff\/setup\/[A-Za-z0-9_-]{43}/;

describe('first-run set-up of a new helpdesk, in a real browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  let database: TestDatabase;
  let server: ServerProcess | undefined;
  let base: string;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'setup-'));
    database = await createTestDatabase(dir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServerProcess({
      DATABASE_URL: database.url,
      PORT: String(port),
      HELPDESK_ROLES: 'web',
      SESSION_SECRET: 'x'.repeat(40),
    });
    await server.waitForLog(/ECF Helpdesk listening/);
  });
  afterEach(async () => {
    server?.kill();
    await server?.exited;
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const setupLink = async (): Promise<string> => {
    await server?.waitForLog(/First-run set-up/);
    const link = SETUP_LINK.exec(server?.output() ?? '')?.[0];
    assert.ok(link, `the log holds a set-up link:\n${server?.output()}`);
    return link.replace(/^https?:\/\/[^/]+/, base);
  };
  const expectAccessible = async (page: Page, what: string) =>
    assert.deepEqual(await axeViolations(page), [], `axe found WCAG 2.1 A/AA problems on ${what}`);

  it('creates the first administrator through the link from the log; the link then answers 410 and /staff signs in', async () => {
    const link = await setupLink();
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();

    // Without the link, nothing is offered: the sign-in page only says where the link is.
    await page.goto(`${base}/staff`);
    await page.waitForURL(/\/staff\/sign-in/);
    assert.match((await page.textContent('main')) ?? '', /No staff account exists yet/);
    assert.equal(await page.locator('form[action^="/staff/setup"], input[name="confirm"]').count(), 0);
    const guessed = await page.goto(`${base}/staff/setup/${'A'.repeat(43)}`);
    assert.equal(guessed?.status(), 404);

    // With it: a form, keyboard only, at phone width too.
    await page.setViewportSize({ width: 375, height: 800 });
    const shown = await page.goto(link);
    assert.equal(shown?.status(), 200);
    await expectAccessible(page, 'the set-up page at phone width');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.fill('#name', 'Ada Admin');
    await page.fill('#email', 'ada.admin@example.gov');
    await page.fill('#password', 'a long enough passphrase');
    await page.fill('#confirm', 'a different passphrase');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    assert.match((await page.textContent('.error-summary')) ?? '', /not the same/);
    await expectAccessible(page, 'the set-up page with an error');
    assert.equal(await page.inputValue('#email'), 'ada.admin@example.gov', 'what was typed is kept');

    await page.fill('#password', 'a long enough passphrase');
    await page.fill('#confirm', 'a long enough passphrase');
    await page.focus('#confirm');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/users\?done=setup/);
    assert.match((await page.textContent('main')) ?? '', /first administrator/);
    assert.match((await page.textContent('table')) ?? '', /ada\.admin@example\.gov/);

    // Recorded in the audit log, with the address it came from.
    const db = openDatabase(database.url);
    try {
      const entries = await db('audit_log').where({ action: 'staff.added' });
      assert.equal(entries.length, 1);
      assert.equal(entries[0].actor, 'anonymous');
      assert.match(String(entries[0].details), /first-run set-up/);
      assert.ok(entries[0].address, 'the address is kept');
    } finally {
      await db.destroy();
    }

    // Used once: gone for good.
    const again = await page.goto(link);
    assert.equal(again?.status(), 410);
    assert.match((await page.textContent('main')) ?? '', /used or has expired/);

    // The account signs in as any other.
    const fresh = await browser.newContext({ javaScriptEnabled: false });
    const signIn = await fresh.newPage();
    await signIn.goto(`${base}/staff`);
    await signIn.waitForURL(/\/staff\/sign-in/);
    assert.doesNotMatch((await signIn.textContent('main')) ?? '', /No staff account exists yet/);
    await signIn.fill('#email', 'ada.admin@example.gov');
    await signIn.fill('#password', 'a long enough passphrase');
    await signIn.keyboard.press('Enter');
    await signIn.waitForURL(/\/staff$/);
    await fresh.close();
    await context.close();
  });

  it('prints no link when an account exists, and a new link after a restart while none does', async () => {
    const first = await setupLink();
    server?.kill();
    await server?.exited;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServerProcess({
      DATABASE_URL: database.url,
      PORT: String(port),
      HELPDESK_ROLES: 'web',
      SESSION_SECRET: 'x'.repeat(40),
    });
    const second = await setupLink();
    assert.notEqual(second.split('/').pop(), first.split('/').pop(), 'each start prints a link of its own');

    // Made on the command line instead: the link from the log is closed at once.
    const response = await fetch(second);
    assert.equal(response.status, 200);
    const { spawnSync } = await import('node:child_process');
    const added = spawnSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        path.join(__dirname, '..', '..', 'src', 'cli', 'index.ts'),
        'user:add',
        '--email',
        'b@example.gov',
        '--name',
        'B',
        '--role',
        'admin',
        '--password-stdin',
      ],
      {
        input: 'another long passphrase',
        env: { ...process.env, DATABASE_URL: database.url },
        cwd: path.join(__dirname, '..', '..'),
      },
    );
    assert.equal(added.status, 0, added.stderr.toString());
    assert.equal((await fetch(second)).status, 410);

    server?.kill();
    await server?.exited;
    server = startServerProcess({
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      HELPDESK_ROLES: 'web',
      SESSION_SECRET: 'x'.repeat(40),
    });
    await server.waitForLog(/ECF Helpdesk listening/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.doesNotMatch(server.output(), /First-run set-up/);
  });
});

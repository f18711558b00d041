import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logFormat } from '../../src/logger';
import { freePort } from '../helpers/mail-servers';
import { createTestDatabase } from '../helpers/postgres';
import { startServerProcess, waitUntil } from '../helpers/server-process';

// pino-pretty colours its lines with ANSI escapes (ESC [ … m); the assertions read the words only.
const ESC = String.fromCharCode(27);
const stripColours = (line: string) => line.split(new RegExp(`${ESC}\\[[0-9;]*m`)).join('');

describe('log format', function () {
  this.timeout(60_000);

  it('is pretty on a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    assert.equal(logFormat({}, { isTTY: true }), 'pretty');
    assert.equal(logFormat({}, { isTTY: false }), 'json');
    assert.equal(logFormat({}, {}), 'json');
    assert.equal(logFormat({ LOG_FORMAT: 'json' }, { isTTY: true }), 'json');
    assert.equal(logFormat({ LOG_FORMAT: 'pretty' }, { isTTY: false }), 'pretty');
  });

  it('writes a request as a short line: method, path without its token, status and time', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'log-format-'));
    const database = await createTestDatabase(dir);
    const port = await freePort();
    const server = startServerProcess({
      DATABASE_URL: database.url,
      PORT: String(port),
      HELPDESK_ROLES: 'web',
      LOG_FORMAT: 'pretty',
    });
    try {
      await waitUntil(async () => /listening/.test(server.output()), 30_000, 'the server to listen');
      const token = 'Q'.repeat(43);
      await fetch(`http://127.0.0.1:${port}/faq?q=password`);
      await fetch(`http://127.0.0.1:${port}/requests/${token}`);
      await waitUntil(async () => /GET \/requests\/:token 404/.test(server.output()), 10_000, 'the request lines');
      const lines = server.output().split('\n').filter(Boolean);
      assert.ok(
        lines.some((line) => /\bhttp: GET \/faq 200 \d+ ms$/.test(stripColours(line))),
        server.output(),
      );
      assert.ok(
        lines.every((line) => !line.startsWith('{')),
        'no JSON lines when pretty',
      );
      assert.doesNotMatch(server.output(), new RegExp(`${token}|password|cookie`, 'i'));
    } finally {
      server.kill();
      await server.exited;
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

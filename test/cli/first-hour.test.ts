import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/mail-servers';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { waitUntil } from '../helpers/server-process';

const ROOT = path.join(__dirname, '..', '..');

/** The variables a newcomer's shell would not have set: the test's own must not leak into the server. */
const TEST_SETTINGS = ['PORT', 'COURT_PROFILE', 'DATABASE_URL', 'NODE_ENV', 'LOG_LEVEL', 'LOG_FORMAT', 'RATE_LIMIT_PER_MINUTE'];

/** The server started as `npm start` starts it, from `cwd`, with nothing but `extra` on top of a plain shell. */
function startServer(cwd: string, extra: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !TEST_SETTINGS.includes(name)));
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'server.ts')], {
    cwd,
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe("a newcomer's first start, with .env", function () {
  this.timeout(90_000);
  let dir: string;
  let database: TestDatabase;
  let server: ReturnType<typeof startServer> | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'first-hour-'));
    database = await createTestDatabase(dir);
  });
  afterEach(async () => {
    if (server) await stopped(server.child);
    server = undefined;
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `cp .env.example .env`, then the settings edited in it as a newcomer would. */
  function writeEnvFile(settings: Record<string, string>): void {
    let text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    for (const [name, value] of Object.entries(settings)) {
      const lineOf = new RegExp(`^${name}=.*$`, 'm');
      assert.match(text, lineOf, `.env.example has a ${name}= line to edit`);
      text = text.replace(lineOf, `${name}=${value}`);
    }
    writeFileSync(path.join(dir, '.env'), text);
  }

  it('reads .env: listens on its PORT, names the court of its profile, the database, the roles and mail', async () => {
    const port = await freePort();
    writeEnvFile({ PORT: String(port), COURT_PROFILE: path.join(ROOT, 'profiles', 'wawd.json'), DATABASE_URL: database.url });
    server = startServer(dir);
    await waitUntil(() => answers(port), 60_000, `the server on port ${port} from .env:\n${server.output()}`);
    const startLine =
      server
        .output()
        .split('\n')
        .find((line) => line.includes('ECF Helpdesk for')) ?? '';
    assert.match(startLine, /United States District Court, Western District of Washington \(court profile .*wawd\.json\)/);
    assert.match(startLine, /database (SQLite|PostgreSQL) /);
    assert.match(startLine, /runs web, mail, jobs/);
    assert.match(startLine, /mail off/);
    assert.match(startLine, /settings from \.env/);
    assert.doesNotMatch(server.output(), /postgres:\/\/[^ ]*:[^ ]*@/, 'no database password in the log');
    const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.match(home, /Western District of Washington/);
  });

  it('lets the environment win over .env, and says when the built-in example court is in use', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    writeEnvFile({ PORT: String(filePort), DATABASE_URL: database.url });
    server = startServer(dir, { PORT: String(envPort) });
    await waitUntil(() => answers(envPort), 60_000, `the server on the environment's port ${envPort}:\n${server.output()}`);
    assert.equal(await answers(filePort), false, 'the port in .env is not used when PORT is set');
    assert.match(server.output(), /built-in example court .*set COURT_PROFILE/);
  });

  it('names a .env setting that is wrong, and does not start', async () => {
    writeEnvFile({ PORT: 'eighty', DATABASE_URL: database.url });
    server = startServer(dir);
    const code = await new Promise<number | null>((resolve) => server?.child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(server.output(), /PORT/);
  });
});

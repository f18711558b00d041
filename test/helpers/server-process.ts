// The real server (src/server.ts) in its own process, as systemd runs it: for tests of roles and of
// SIGTERM, which need a process of their own to start, signal and watch exit.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (its JSON log lines, and any error), for assertions and failure messages. */
  output(): string;
  /** Resolves when a log line's `msg` matches; rejects if the process exits first or `timeoutMs` passes. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL, if still running (after a failed test). */
  kill(): void;
}

/** Starts `tsx src/server.ts` with `env` on top of the test's environment. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000', STAFF_MFA: 'optional', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const watch of watchers) watch();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages = () =>
    output.split('\n').flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { msg?: unknown }).msg)];
      } catch {
        return [];
      }
    });

  return {
    child,
    output: () => output,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    waitForLog(pattern, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          watchers.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (messages().some((msg) => pattern.test(msg))) done();
        };
        const timer = setTimeout(
          () => done(new Error(`no log line matching ${pattern} in ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        void exited.then((code) => done(new Error(`the server exited (${code}) before logging ${pattern}:\n${output}`)));
        watchers.add(check);
        check();
      });
    },
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until `check` is true; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000, what = 'a condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

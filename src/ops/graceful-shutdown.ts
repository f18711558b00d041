import type { Server } from 'node:http';
import type { Logger } from '../logger';

/** Something the process runs in the background that can be stopped (mail intake, the jobs). */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface ShutdownParts {
  /** The HTTP server, when this process runs the web role. */
  server: Server | null;
  /** Mail intake and sending, the job scheduler: each stops taking work and finishes what it has. */
  background: Stoppable[];
  /** Closes what is left once nothing runs (the services, then the database). */
  close(): Promise<void>;
  log: Logger;
  /** How long requests under way get to finish before their connections are closed. */
  requestGraceMs?: number;
  /** The process exits by then whatever is left (SPEC §9: within 15 s of SIGTERM). */
  deadlineMs?: number;
  exit?: (code: number) => void;
}

/**
 * Stops the HTTP server from taking connections while answering the requests it has (each answer
 * closes its connection), stops mail intake after the batch under way and the jobs after their runs
 * (their leases are given back), then closes the services and the database and exits 0. Past the
 * deadline it exits 1, so a stop that cut work short is not reported as clean.
 */
export async function shutDown(parts: ShutdownParts): Promise<void> {
  const { server, log } = parts;
  const exit = parts.exit ?? ((code: number) => process.exit(code));
  const deadline = setTimeout(() => {
    log.error('shutdown took too long: exiting with work unfinished');
    exit(1);
  }, parts.deadlineMs ?? 14_000);
  const http = server ? drainHttp(server, parts.requestGraceMs ?? 10_000) : Promise.resolve();
  const background = parts.background.map((part) =>
    part.stop().catch((error: unknown) => log.error({ err: error }, 'a background role did not stop cleanly')),
  );
  await Promise.all([http, ...background]);
  let code = 0;
  try {
    await parts.close();
  } catch (error) {
    log.error({ err: error }, 'closing the services or the database failed');
    code = 1;
  }
  clearTimeout(deadline);
  log.info('shut down');
  exit(code);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Connections already made to the system while a long request held the thread are accepted before
// the server stops listening, but no longer than this.
const ACCEPT_WAITING_MS = 2_000;

/** Stops listening; requests under way are answered (with Connection: close), idle connections closed. */
async function drainHttp(server: Server, graceMs: number): Promise<void> {
  // A request already on a kept-alive connection is answered, and its connection then closed.
  server.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
  // The system completes connections for us while the thread is busy, and Node accepts them one per
  // turn of the event loop; closing the listening socket resets those not yet accepted. So the
  // server goes on accepting until a turn brings none, and reads them (the next turn) before it
  // stops listening and closes the connections that carry no request.
  let accepted = 0;
  const count = () => (accepted += 1);
  server.on('connection', count);
  const until = Date.now() + ACCEPT_WAITING_MS;
  for (let before = -1; accepted !== before && Date.now() < until;) {
    before = accepted;
    await nextTurn();
    await nextTurn();
  }
  server.off('connection', count);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

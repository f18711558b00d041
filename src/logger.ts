import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';

// The private links: whatever follows these prefixes is a filer's token (also in capitals, which
// Express routes alike, and in names such as `<token>.ics`).
const PRIVATE_LINK = /^(\/+(?:requests|callbacks\/+manage)\/+)[^/]+/i;
// Anywhere else, a long run of URL-safe characters that is not a lowercase slug (FAQ ids are) is
// taken for a token: a private link mistyped or mangled by a mail program still carries its token.
const TOKEN_LIKE = /[A-Za-z0-9_-]{32,}/g;

/**
 * A request URL as it may be logged: tokens replaced by `:token`, and no query string on any route.
 * Queries are dropped everywhere rather than by an allow-list of routes: search boxes (FAQ, staff
 * queue, the sign-in page's `next`) carry what people typed, a list of safe routes goes stale as
 * routes are added, and the path alone says which page was asked for.
 */
export function loggablePath(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(PRIVATE_LINK, '$1:token').replace(TOKEN_LIKE, (run) => (/^[a-z-]+$/.test(run) ? run : ':token'));
}

/**
 * An error as it may be logged: type, code, message and stack only. Errors carry other fields that
 * do not belong in a log (body-parser's `body` is the raw request body).
 */
export function loggableError(error: unknown): object {
  if (!(error instanceof Error)) return { message: String(error) };
  const { type, message, stack } = pino.stdSerializers.err(error);
  const { code, status } = error as { code?: unknown; status?: unknown };
  return { type, message, stack, ...(code === undefined ? {} : { code }), ...(status === undefined ? {} : { status }) };
}

/**
 * What the HTTP log keeps of a request and a response: method, path (see loggablePath) and status.
 * No headers at all: they carry the cookies, `Set-Cookie` with a staff session, and `Location` with
 * a private link.
 */
export const httpLogSerializers = {
  req: (req: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
    id: req.id,
    method: req.method,
    url: loggablePath(req.originalUrl ?? req.url),
  }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
  err: loggableError,
};

/**
 * How log lines are written (LOG_FORMAT): `pretty`, a short readable line for a person at a terminal,
 * or `json`, one object a line for a log collector. Unset, a terminal gets pretty lines and anything
 * else (a service manager, a pipe, a file) JSON.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean } = process.stdout): 'pretty' | 'json' {
  if (env.LOG_FORMAT === 'pretty' || env.LOG_FORMAT === 'json') return env.LOG_FORMAT;
  return stdout.isTTY ? 'pretty' : 'json';
}

/** A request's line in a person's words: `GET /requests/:token 200 12 ms`. */
export function requestLine(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, responseTime: number): string {
  return `${req.method} ${loggablePath(req.originalUrl ?? req.url)} ${res.statusCode} ${Math.round(responseTime)} ms`;
}

/** pino-pretty, in this process (not a worker): short lines, local time, the area as a prefix. */
export function prettyStream(destination: 1 | 2 = 1): pino.DestinationStream {
  // Loaded only when wanted: JSON logging (production) never loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,area,req,res,responseTime,reqId',
    messageFormat: '{if area}{area}: {end}{msg}',
    singleLine: true,
    sync: true,
    destination,
  });
}

/** The root logger; areas take a child (`logger.child({ area: 'http' })`). LOG_LEVEL=silent in tests. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    serializers: { err: loggableError },
    redact: {
      paths: ['req.headers', 'res.headers', 'req.query', 'req.body', 'req.params', 'req.cookies', '*.password'],
      remove: true,
    },
  },
  logFormat() === 'pretty' ? prettyStream() : undefined,
);

export type Logger = pino.Logger;

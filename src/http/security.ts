import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit, type Options, type Store } from 'express-rate-limit';
import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect';
import { AppError } from '../errors';
import { countHit, forgetHits, uncountHit } from './rate-limit.repository';

const CLIENT_COOKIE = 'hd_client';

/** Helmet's headers; no inline scripts, no referrer (status links carry a private token). */
export function securityHeaders(): RequestHandler {
  const headers = headersSetBy(helmetMiddleware());
  // The same headers for every response: worked out by helmet once, set in one step per request.
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** Runs a header-only middleware once against a recording response; the headers it set, in order. */
function headersSetBy(middleware: RequestHandler): Array<[string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let called = false;
  middleware({} as Request, recorder as unknown as Response, () => (called = true));
  if (!called) throw new Error('the security headers middleware did not finish at once');
  return [...headers];
}

function helmetMiddleware(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'form-action': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false, // set by the TLS front end, which knows whether HTTPS is in use
  });
}

/** Gives each browser an anonymous id that the CSRF token is bound to (staff sessions come later). */
export function clientId(secure: boolean): RequestHandler {
  return (req, res, next) => {
    if (!req.cookies?.[CLIENT_COOKIE]) {
      const id = randomBytes(18).toString('base64url');
      res.cookie(CLIENT_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 180 * 24 * 3600 * 1000 });
      req.cookies = { ...(req.cookies ?? {}), [CLIENT_COOKIE]: id };
    }
    next();
  };
}

/** Double-submit CSRF protection for every form; JSON API routes are exempt but demand a JSON body. */
export function csrfProtection(secret: string, secure: boolean, sessionCookie: string) {
  const { doubleCsrfProtection, generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => secret,
    // Bound to the staff session when there is one, else to the browser's anonymous id.
    getSessionIdentifier: (req) => String(req.cookies?.[sessionCookie] ?? req.cookies?.[CLIENT_COOKIE] ?? ''),
    cookieName: secure ? '__Host-hd.csrf' : 'hd_csrf',
    cookieOptions: { sameSite: 'lax', secure, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req) =>
      ((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ?? req.get('x-csrf-token'),
    skipCsrfProtection: (req) => req.path.startsWith('/api/'),
    errorConfig: {
      statusCode: 403,
      code: 'csrf_invalid',
      message: 'This form has expired. Please go back, reload the page and try again.',
    },
  });
  const exposeToken: RequestHandler = (req, res, next) => {
    // One token per response: several forms on a page must share the cookie they are checked against.
    let token: string | undefined;
    res.locals.csrfToken = () => (token ??= generateCsrfToken(req, res));
    next();
  };
  // validRequest: the same check, asked early by the multipart parser (see multipart-form.ts).
  return { protect: doubleCsrfProtection, exposeToken, validRequest: validateRequest };
}

/** POSTs to the public API must be JSON: a cross-site HTML form cannot send that without CORS. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'POST' && !req.is('application/json')) {
    next(new AppError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'));
    return;
  }
  next();
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Whom a request is counted against: an IPv4 address as it is (also when the server reports it in
 * its IPv6-mapped form), an IPv6 address by its /56 network, as express-rate-limit's own key does;
 * without the cost of parsing every IPv4 address as IPv6.
 */
export function rateLimitKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  return MAPPED_IPV4.exec(ip)?.[1] ?? ipKeyGenerator(ip, 56);
}

/**
 * express-rate-limit's counts kept in the database rather than in this process's memory, so that
 * several web processes behind one proxy share one limit per address (SPEC §9).
 */
export function databaseRateLimitStore(db: Knex, clock: () => number = Date.now): Store {
  let windowMs = 60_000;
  return {
    init: (options: Options) => {
      windowMs = options.windowMs;
    },
    increment: async (key) => {
      const { hits, resetAt } = await countHit(db, key, clock(), windowMs);
      return { totalHits: hits, resetTime: new Date(resetAt) };
    },
    decrement: (key) => uncountHit(db, key),
    resetKey: (key) => forgetHits(db, key),
  };
}

/**
 * A per-address limit on public POSTs, counted in the database when several processes share it and
 * in this process's memory otherwise; RATE_LIMIT_PER_MINUTE raises it for benchmarks.
 */
export function publicPostLimit(perMinute: number, db: Knex): RequestHandler {
  const limiter = rateLimit({
    windowMs: 60_000,
    ...(dialectOf(db).sharedByProcesses ? { store: databaseRateLimitStore(db) } : {}),
    limit: perMinute,
    keyGenerator: (req) => rateLimitKey(req.ip),
    // That check reads the key generator's source for ipKeyGenerator; ours calls it in rateLimitKey.
    validate: { keyGeneratorIpFallback: false },
    // RateLimit and RateLimit-Policy headers (draft 7: no per-request hash of the key, as draft 8 has).
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new AppError(429, 'rate_limited', 'Too many requests from your address. Please wait a minute and try again.')),
  });
  return (req, res, next) => (req.method === 'POST' && !req.path.startsWith('/staff') ? limiter(req, res, next) : next());
}

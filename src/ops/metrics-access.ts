import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an address is this machine (127.0.0.0/8, ::1, and IPv4 loopback written as IPv6). */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * A request from this machine itself: the connection comes from loopback, and no proxy says it
 * forwards it for someone else (a reverse proxy on the same machine connects from loopback too).
 */
function fromThisMachine(req: Request): boolean {
  return isLoopback(req.socket.remoteAddress) && req.get('x-forwarded-for') === undefined && req.get('forwarded') === undefined;
}

/**
 * Who may read GET /metrics: with a token set, whoever sends `Authorization: Bearer <token>`
 * (compared in constant time, by digest, whatever the lengths); without one, only this machine.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token === undefined ? null : digest(token);
  return (req, res, next) => {
    if (expected === null) {
      if (!fromThisMachine(req))
        throw new AppError(
          403,
          'metrics_loopback_only',
          'Metrics are answered only on this machine unless METRICS_TOKEN is set.',
        );
      return next();
    }
    const match = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'metrics_token_required', 'Send the metrics token as Authorization: Bearer <token>.');
    }
    if (!timingSafeEqual(digest(match[1]), expected))
      throw new AppError(403, 'metrics_token_wrong', 'The metrics token is wrong.');
    next();
  };
}

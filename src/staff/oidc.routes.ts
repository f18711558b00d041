import type { Request, RequestHandler } from 'express';
import { NotFound } from '../errors';
import { safeNext, STAFF_COOKIE } from './auth.middleware';
import type { signInPage } from './auth.routes';
import { SESSION_HOURS } from './open-session';
import { SingleSignOnRefused, type SingleSignOn } from './oidc.service';

/** Holds the state between leaving for the provider and coming back, for this browser only. */
const STATE_COOKIE = 'hd_oidc';
const CALLBACK = '/staff/sign-in/oidc/callback';

/** Single sign-on: off (404) unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
export function oidcHandlers(deps: {
  sso: SingleSignOn | null;
  secure: boolean;
  /** PUBLIC_URL: the callback address the provider knows; else the address this request came to. */
  publicUrl: string | undefined;
  render: ReturnType<typeof signInPage>;
}) {
  const { sso, secure, render } = deps;
  const stateCookie = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/staff/sign-in/oidc' };
  const base = (req: Request) => deps.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;

  /** GET /staff/sign-in/oidc: off to the provider (a link, so it works without JavaScript). */
  const start: RequestHandler = async (req, res) => {
    if (!sso) throw new NotFound();
    const next = safeNext(req.query.next);
    let target: { url: string; state: string };
    try {
      target = await sso.start({ redirectUri: `${base(req)}${CALLBACK}`, next });
    } catch (error) {
      req.log?.warn({ err: error }, 'the OpenID provider could not be reached');
      return render(res, 502, {
        email: '',
        next,
        error: 'Single sign-on cannot be reached right now. Please try again in a few minutes.',
      });
    }
    res.cookie(STATE_COOKIE, target.state, { ...stateCookie, maxAge: 10 * 60_000 });
    res.redirect(303, target.url);
  };

  /** GET /staff/sign-in/oidc/callback: the provider sends the browser back here with a code. */
  const callback: RequestHandler = async (req, res) => {
    if (!sso) throw new NotFound();
    const cookieState = req.cookies?.[STATE_COOKIE] as string | undefined;
    res.clearCookie(STATE_COOKIE, stateCookie);
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    try {
      const { sessionToken, next } = await sso.finish({ search, cookieState, address: req.ip ?? 'unknown' });
      res.cookie(STAFF_COOKIE, sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: SESSION_HOURS * 3_600_000,
      });
      res.redirect(303, next);
    } catch (error) {
      if (!(error instanceof SingleSignOnRefused)) throw error;
      render(res, error.status, { email: '', next: '/staff', error: error.message });
    }
  };

  return { start, callback };
}

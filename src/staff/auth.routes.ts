import type { RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { AuthService, SecondStep } from './auth.service';
import type { FirstRunSetup } from './first-run';
import { safeNext, STAFF_COOKIE, staffOf } from './auth.middleware';
import { PENDING_SESSION_MINUTES, SESSION_HOURS } from './open-session';
import { SignInThrottled, throttledMessage } from './sign-in-throttle';
import { signInSchema } from './staff.schema';

/** What the sign-in page offers: a password form (STAFF_PASSWORD_SIGNIN), single sign-on (OIDC_*). */
export interface SignInChoices {
  passwordSignIn: boolean;
  singleSignOn: boolean;
  /** The court's zone, for the time a locked-out sign-in may try again. */
  timezone: string;
}

/** Renders the sign-in page; single sign-on's refusals show on it too. */
export function signInPage(choices: SignInChoices) {
  return (res: Response, status: number, values: { email: string; next: string; error: string | null; noAccountYet?: boolean }) =>
    res.status(status).render('staff/sign-in', { title: 'Staff sign-in', ...choices, ...values });
}

const AFTER_PASSWORD: Record<Exclude<SecondStep, 'done'>, string> = {
  code: '/staff/sign-in/code',
  enrol: '/staff/sign-in/set-up',
};

/** Staff sign-in and sign-out. */
export function authHandlers(
  auth: AuthService,
  secure: boolean,
  firstRun: Pick<FirstRunSetup, 'anyStaffAccount'>,
  choices: SignInChoices = { passwordSignIn: true, singleSignOn: false, timezone: 'America/New_York' },
) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
  const render = signInPage(choices);

  const showSignIn: RequestHandler = async (req, res) => {
    if (staffOf(res)) return res.redirect(303, safeNext(req.query.next));
    // Before the first account exists, say where to make it: never a form here (only the set-up link offers one).
    const noAccountYet = !(await firstRun.anyStaffAccount());
    render(res, 200, { email: '', next: safeNext(req.query.next), error: null, noAccountYet });
  };

  const signIn: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = signInSchema.safeParse(body);
    const next = safeNext(body.next);
    const email = typeof body.email === 'string' ? body.email : '';
    if (!choices.passwordSignIn)
      return render(res, 403, { email, next, error: 'Sign-in with a password is turned off here. Use single sign-on.' });
    if (!parsed.success) return render(res, 400, { email, next, error: 'Enter your email address and password.' });
    try {
      const { sessionToken, secondStep } = await auth.signIn(parsed.data.email, parsed.data.password, req.ip ?? 'unknown');
      const maxAge = secondStep === 'done' ? SESSION_HOURS * 3_600_000 : PENDING_SESSION_MINUTES * 60_000;
      res.cookie(STAFF_COOKIE, sessionToken, { ...cookieOptions, maxAge });
      if (secondStep === 'done') return res.redirect(303, next);
      const step = AFTER_PASSWORD[secondStep];
      res.redirect(303, next === '/staff' ? step : `${step}?next=${encodeURIComponent(next)}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error instanceof SignInThrottled) {
        res.set('Retry-After', String(Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000))));
        return render(res, error.status, { email, next, error: throttledMessage(error, choices.timezone) });
      }
      render(res, error.status, { email, next, error: error.message });
    }
  };

  const signOut: RequestHandler = async (req, res) => {
    const token = req.cookies?.[STAFF_COOKIE] as string | undefined;
    if (token) await auth.signOut(token, req.ip ?? 'unknown');
    res.clearCookie(STAFF_COOKIE, cookieOptions);
    res.redirect(303, '/staff/sign-in');
  };

  return { showSignIn, signIn, signOut };
}

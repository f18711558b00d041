import type { Request, RequestHandler, Response } from 'express';
import { AppError, NotFound } from '../errors';
import { parseId } from '../http/validate';
import { safeNext, STAFF_COOKIE, staffOf } from './auth.middleware';
import type { AuthService } from './auth.service';
import { SESSION_HOURS } from './open-session';
import { SignInThrottled, throttledMessage } from './sign-in-throttle';
import type { TwoStepService } from './two-step.service';

const CODE_PAGE = '/staff/sign-in/code';
const SET_UP_PAGE = '/staff/sign-in/set-up';

/**
 * Two-step sign-in pages: the code asked for after the password, the set-up of an authenticator app
 * (during sign-in when STAFF_MFA=required, or from the account page), recovery codes, and an
 * administrator's reset of someone's lost second factor.
 */
export function twoStepHandlers(deps: { twoStep: TwoStepService; auth: AuthService; secure: boolean; timezone: string }) {
  const { twoStep, secure, timezone } = deps;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
  const address = (req: Request) => req.ip ?? 'unknown';
  const cookieOf = (req: Request) => req.cookies?.[STAFF_COOKIE] as string | undefined;
  const field = (req: Request, name: string) => {
    const value = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  const nextOf = (req: Request) => safeNext(req.method === 'GET' ? req.query.next : field(req, 'next'));
  const withNext = (path: string, next: string) => (next === '/staff' ? path : `${path}?next=${encodeURIComponent(next)}`);

  /** The words a refusal shows on the page: the locked-out one says until when. */
  const messageOf = (error: AppError) => (error instanceof SignInThrottled ? throttledMessage(error, timezone) : error.message);
  const refusal = (res: Response, error: unknown): { status: number; message: string } => {
    if (!(error instanceof AppError)) throw error;
    if (error instanceof SignInThrottled)
      res.set('Retry-After', String(Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000))));
    return { status: error.status, message: messageOf(error) };
  };

  const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

  async function renderSetUp(
    res: Response,
    pending: { userId: number; email: string },
    next: string,
    status = 200,
    error: string | null = null,
  ) {
    noStore(res);
    res.status(status).render('staff/sign-in-set-up', {
      title: 'Set up two-step sign-in',
      enrolment: await twoStep.enrolment({ id: pending.userId, email: pending.email }),
      next,
      error,
    });
  }

  const renderRecoveryCodes = (res: Response, codes: string[], next: string, fresh: boolean) => {
    noStore(res);
    res.render('staff/recovery-codes', { title: 'Your recovery codes', codes, next, fresh });
  };

  /** GET /staff/sign-in/code: the second step after the password. */
  const showCode: RequestHandler = async (req, res) => {
    const token = cookieOf(req);
    const pending = token ? await twoStep.pendingSession(token) : undefined;
    if (!pending) return res.redirect(303, withNext('/staff/sign-in', nextOf(req)));
    if (!pending.hasTotp) return res.redirect(303, withNext(SET_UP_PAGE, nextOf(req)));
    noStore(res);
    res.render('staff/sign-in-code', { title: 'Enter your code', next: nextOf(req), error: null });
  };

  /** POST /staff/sign-in/code: a TOTP code or a recovery code finishes the sign-in. */
  const checkCode: RequestHandler = async (req, res) => {
    const next = nextOf(req);
    const token = cookieOf(req);
    const pending = token ? await twoStep.pendingSession(token) : undefined;
    if (!token || !pending) return res.redirect(303, '/staff/sign-in');
    if (!pending.hasTotp) return res.redirect(303, withNext(SET_UP_PAGE, next));
    try {
      const { sessionToken } = await twoStep.finishSignIn(token, field(req, 'code').slice(0, 100), address(req));
      res.cookie(STAFF_COOKIE, sessionToken, { ...cookieOptions, maxAge: SESSION_HOURS * 3_600_000 });
      res.redirect(303, next);
    } catch (error) {
      const { status, message } = refusal(res, error);
      if (status === 401 && (error as AppError).code === 'sign_in_required') return res.redirect(303, '/staff/sign-in');
      noStore(res);
      res.status(status).render('staff/sign-in-code', { title: 'Enter your code', next, error: message });
    }
  };

  /** GET /staff/sign-in/set-up: STAFF_MFA=required and no authenticator yet: set one up before anything else. */
  const showSetUp: RequestHandler = async (req, res) => {
    const token = cookieOf(req);
    const pending = token ? await twoStep.pendingSession(token) : undefined;
    if (!pending) return res.redirect(303, withNext('/staff/sign-in', nextOf(req)));
    if (pending.hasTotp) return res.redirect(303, withNext(CODE_PAGE, nextOf(req)));
    await renderSetUp(res, pending, nextOf(req));
  };

  /** POST /staff/sign-in/set-up: the first code confirms the app; the recovery codes are shown, once. */
  const confirmSetUp: RequestHandler = async (req, res) => {
    const next = nextOf(req);
    const token = cookieOf(req);
    const pending = token ? await twoStep.pendingSession(token) : undefined;
    if (!token || !pending) return res.redirect(303, '/staff/sign-in');
    if (pending.hasTotp) return res.redirect(303, withNext(CODE_PAGE, next));
    try {
      const { sessionToken, recoveryCodes } = await twoStep.finishSignIn(token, field(req, 'code').slice(0, 100), address(req));
      res.cookie(STAFF_COOKIE, sessionToken, { ...cookieOptions, maxAge: SESSION_HOURS * 3_600_000 });
      renderRecoveryCodes(res, recoveryCodes ?? [], next, true);
    } catch (error) {
      const { status, message } = refusal(res, error);
      await renderSetUp(res, pending, next, status, message);
    }
  };

  /**
   * Before every other staff page: a half-signed-in session (password checked, second step to come)
   * is sent to its second step, never to the page. Full sessions pass; so does no session at all,
   * which requireStaff then sends to sign in.
   */
  const pendingGate: RequestHandler = async (req, res, next) => {
    const token = cookieOf(req);
    if (staffOf(res) || !token) return next();
    const pending = await twoStep.pendingSession(token);
    if (!pending) return next();
    if (req.method !== 'GET') return next(new AppError(401, 'second_step_required', 'Finish signing in first: enter your code.'));
    res.redirect(303, withNext(pending.hasTotp ? CODE_PAGE : SET_UP_PAGE, safeNext(req.originalUrl)));
  };

  /** Under /staff/account: what the two-step panel (views/staff/_account-two-step.ejs) shows, whichever form re-renders the page. */
  const accountPanel: RequestHandler = async (_req, res, next) => {
    const staff = staffOf(res);
    if (!staff) return next();
    const status = await twoStep.status(staff.id);
    res.locals.twoStep = { ...status, enrolment: status.on ? null : await twoStep.enrolment(staff), error: null };
    noStore(res);
    next();
  };

  /** POST /staff/account/two-step: set up an authenticator app while signed in. */
  const enrolFromAccount: RequestHandler = async (req, res) => {
    const staff = staffOf(res)!;
    try {
      const codes = await twoStep.enrol(staff.id, field(req, 'code').replace(/\s/g, '').slice(0, 100), address(req));
      renderRecoveryCodes(res, codes, '/staff/account', true);
    } catch (error) {
      const { status, message } = refusal(res, error);
      noStore(res);
      res.status(status).render('staff/two-step-account', {
        title: 'Set up two-step sign-in',
        enrolment: await twoStep.enrolment(staff),
        error: message,
      });
    }
  };

  /** POST /staff/account/recovery-codes: ten new codes in place of the old, with a current code from the app. */
  const newRecoveryCodes: RequestHandler = async (req, res) => {
    const staff = staffOf(res)!;
    try {
      const codes = await twoStep.replaceRecoveryCodes(staff.id, field(req, 'code').slice(0, 100), address(req));
      renderRecoveryCodes(res, codes, '/staff/account', false);
    } catch (error) {
      const { status, message } = refusal(res, error);
      noStore(res);
      res.status(status).render('staff/two-step-account', { title: 'New recovery codes', enrolment: null, error: message });
    }
  };

  /** POST /staff/users/:id/two-step/reset (administrators): a lost phone; the next sign-in sets it up again. */
  const resetForUser: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    if (!(await deps.auth.findUser(id))) throw new NotFound('There is no such account.');
    await twoStep.reset({ id: staffOf(res)!.id, address: address(req) }, id);
    res.redirect(303, '/staff/users?done=two-step-reset');
  };

  return {
    showCode,
    checkCode,
    showSetUp,
    confirmSetUp,
    pendingGate,
    accountPanel,
    enrolFromAccount,
    newRecoveryCodes,
    resetForUser,
  };
}

import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import type { AuthService } from './auth.service';
import type { FirstRunSetup } from './first-run';
import { safeNext, STAFF_COOKIE, staffOf } from './auth.middleware';
import { signInSchema } from './staff.schema';

/** Staff sign-in and sign-out. */
export function authHandlers(auth: AuthService, secure: boolean, firstRun: Pick<FirstRunSetup, 'anyStaffAccount'>) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };

  const showSignIn: RequestHandler = async (req, res) => {
    if (staffOf(res)) return res.redirect(303, safeNext(req.query.next));
    // Before the first account exists, say where to make it: never a form here (only the set-up link offers one).
    const noAccountYet = !(await firstRun.anyStaffAccount());
    res.render('staff/sign-in', { title: 'Staff sign-in', email: '', next: safeNext(req.query.next), error: null, noAccountYet });
  };

  const signIn: RequestHandler = async (req, res) => {
    const parsed = signInSchema.safeParse(req.body);
    const next = safeNext((req.body as Record<string, unknown>)?.next);
    const email =
      typeof (req.body as Record<string, unknown>)?.email === 'string' ? String((req.body as Record<string, unknown>).email) : '';
    if (!parsed.success) {
      res
        .status(400)
        .render('staff/sign-in', { title: 'Staff sign-in', email, next, error: 'Enter your email address and password.' });
      return;
    }
    try {
      const { sessionToken } = await auth.signIn(parsed.data.email, parsed.data.password, req.ip ?? 'unknown');
      res.cookie(STAFF_COOKIE, sessionToken, { ...cookieOptions, maxAge: 12 * 3_600_000 });
      res.redirect(303, next);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(error.status).render('staff/sign-in', { title: 'Staff sign-in', email, next, error: error.message });
    }
  };

  const signOut: RequestHandler = async (req, res) => {
    const token = req.cookies?.[STAFF_COOKIE] as string | undefined;
    if (token) await auth.signOut(token);
    res.clearCookie(STAFF_COOKIE, cookieOptions);
    res.redirect(303, '/staff/sign-in');
  };

  return { showSignIn, signIn, signOut };
}

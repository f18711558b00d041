import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { AuthService } from './auth.service';
import type { StaffUser } from './staff.repository';

export const STAFF_COOKIE = 'hd_staff';

/** The signed-in staff member of this request (set by loadStaff), if any. */
export function staffOf(res: Response): StaffUser | undefined {
  return res.locals.staff as StaffUser | undefined;
}

/** Reads the session cookie and puts the staff member, if any, in res.locals.staff. */
export function loadStaff(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const token = req.cookies?.[STAFF_COOKIE] as string | undefined;
    res.locals.staff = token ? await auth.userForSession(token) : undefined;
    next();
  };
}

/** Only a path inside the staff area may be a destination after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/staff([/?][\w\-/.?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/staff';
}

/** Every staff page needs a session: people are sent to sign in, API calls get 401. */
export function requireStaff(req: Request, res: Response, next: NextFunction): void {
  if (staffOf(res)) return next();
  if (req.method === 'GET') return res.redirect(303, `/staff/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
  next(new AppError(401, 'sign_in_required', 'Please sign in again; your session has ended.'));
}

/** Administrators only. */
export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (staffOf(res)?.role === 'admin') return next();
  next(new AppError(403, 'admin_only', 'Only an administrator can do this.'));
}

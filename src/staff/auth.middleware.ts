import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { AuthService } from './auth.service';
import { roleAtLeast, whoMay, type Role } from './roles';
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

const roleGuards = new WeakMap<RequestHandler, Role>();

/**
 * The one check of what a staff route needs: the signed-in staff member's role must be `min` or
 * above (src/staff/roles.ts). The route table puts one on every staff route; a page refuses with 403
 * and a sentence, a form post or API call with the same error as JSON.
 */
export function requireRole(min: Role): RequestHandler {
  const guard: RequestHandler = (req, res, next) => {
    const staff = staffOf(res);
    if (!staff) return requireStaff(req, res, next);
    if (roleAtLeast(staff.role, min)) return next();
    next(new AppError(403, 'role_required', `Only ${whoMay(min)} can do this.`));
  };
  roleGuards.set(guard, min);
  return guard;
}

/** The role a handler made by requireRole asks for; undefined for any other handler (the route test reads it). */
export function requiredRoleOf(handler: unknown): Role | undefined {
  return typeof handler === 'function' ? roleGuards.get(handler as RequestHandler) : undefined;
}

/** Administrators only: kept for code that names it; the same as requireRole('admin'). */
export const requireAdmin = requireRole('admin');

/** Those who may declare, update and end outages (/staff/status): supervisors and administrators. */
export const requireOutageRole = requireRole('supervisor');

/** Where someone whose password an administrator reset may still go: their account page, to choose one. */
const WHILE_PASSWORD_TEMPORARY = new Set(['/staff/account', '/staff/account/password']);

/**
 * After an administrator's reset, the temporary password only opens the account page: the staff
 * member chooses their own password before anything else (the administrator has seen the temporary one).
 */
export function requireOwnPassword(req: Request, res: Response, next: NextFunction): void {
  if (!staffOf(res)?.passwordTemporary || WHILE_PASSWORD_TEMPORARY.has(req.originalUrl.split('?')[0])) return next();
  if (req.method === 'GET') return res.redirect(303, '/staff/account');
  next(new AppError(403, 'password_change_required', 'Please choose a new password on your account page first.'));
}

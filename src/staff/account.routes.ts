import type { Request, RequestHandler, Response } from 'express';
import { AppError, type FieldError } from '../errors';
import { errorsByField, fieldErrors, noticeTable, parseOrThrow } from '../http/validate';
import type { AccountService } from './accounts.service';
import { STAFF_COOKIE, staffOf } from './auth.middleware';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from './roles';
import type { StaffUser } from './staff.repository';
import { endSessionSchema, notificationSettingsSchema, passwordChangeSchema, staffMessages } from './staff.schema';

const DONE = noticeTable({
  password: 'Your password is changed. Any other sessions of yours have ended.',
  session: 'That session has ended.',
  sessions: 'Your other sessions have ended. Only this browser is still signed in.',
  notifications: 'Your email notification choices are saved.',
});

const me = (res: Response) => staffOf(res) as StaffUser;
const actorOf = (req: Request, res: Response) => ({ id: me(res).id, name: me(res).name, address: req.ip });
const tokenOf = (req: Request) => String(req.cookies?.[STAFF_COOKIE] ?? '');

/** `/staff/account`: every signed-in staff member's own password and sessions. */
export function accountHandlers(deps: { accounts: AccountService }) {
  async function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const user = me(res);
    res.status(status).render('staff/account', {
      title: 'Your account',
      user,
      roleLabel: ROLE_LABELS[user.role],
      roleDescription: ROLE_DESCRIPTIONS[user.role],
      sessions: await deps.accounts.sessions(user.id, tokenOf(req)),
      notifications: await deps.accounts.notificationSettings(user.id),
      notice: DONE(req.query.done),
      errors: {},
      errorList: [],
      ...extra,
    });
  }

  const page: RequestHandler = (req, res) => render(req, res, 200);

  const changePassword: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const parsed = passwordChangeSchema.safeParse(body);
    let problems: FieldError[] = parsed.success ? [] : fieldErrors(parsed.error.issues, staffMessages, body);
    if (parsed.success) {
      try {
        await deps.accounts.changePassword(me(res), {
          current: parsed.data.current,
          password: parsed.data.password,
          sessionToken: tokenOf(req),
          address: req.ip,
        });
        return res.redirect(303, '/staff/account?done=password');
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        problems = error.toErrors().map((e) => ({ field: e.field ?? 'current', code: e.code, message: e.message }));
        return render(req, res, error.status, { errors: errorsByField(problems), errorList: problems });
      }
    }
    await render(req, res, 400, { errors: errorsByField(problems), errorList: problems });
  };

  const endSession: RequestHandler = async (req, res) => {
    const { session } = parseOrThrow(endSessionSchema, req.body, { session: { invalid: 'Choose a session to end.' } });
    await deps.accounts.endSession(actorOf(req, res), session);
    res.redirect(303, '/staff/account?done=session');
  };

  const endOtherSessions: RequestHandler = async (req, res) => {
    await deps.accounts.endOtherSessions(actorOf(req, res), tokenOf(req));
    res.redirect(303, '/staff/account?done=sessions');
  };

  /** The notification emails this staff member wants (an unticked box is simply absent from the form). */
  const saveNotifications: RequestHandler = async (req, res) => {
    const settings = parseOrThrow(notificationSettingsSchema, req.body, {});
    await deps.accounts.saveNotificationSettings(me(res).id, settings);
    res.redirect(303, '/staff/account?done=notifications#notifications');
  };

  return { page, changePassword, endSession, endOtherSessions, saveNotifications };
}

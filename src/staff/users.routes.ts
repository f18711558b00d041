import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import { errorsByField, fieldErrors, noticeTable, parseId } from '../http/validate';
import type { FieldError } from '../errors';
import type { AccountService } from './accounts.service';
import { staffOf } from './auth.middleware';
import type { AuthService } from './auth.service';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from './roles';
import type { StaffUser } from './staff.repository';
import { editUserSchema, newUserSchema, staffMessages } from './staff.schema';

const USERS_DONE = noticeTable({
  added: 'Staff member added. Give them their first password in a safe way.',
  setup: 'The helpdesk is set up: you are its first administrator, and you are signed in. Add the other staff members below.',
  saved: 'Account saved.',
  disabled: 'Account disabled. Its sessions have ended; it cannot sign in until it is enabled again.',
  enabled: 'Account enabled. It can sign in again.',
  'two-step-reset': 'Two-step sign-in reset: they set it up again when they next sign in.',
});

const me = (res: Response) => staffOf(res) as StaffUser;
const actorOf = (req: Request, res: Response) => ({ id: me(res).id, name: me(res).name, address: req.ip });
const roles = ROLES.map((value) => ({ value, label: ROLE_LABELS[value], description: ROLE_DESCRIPTIONS[value] }));

/** `/staff/users`: administrators list, add, edit, disable, enable and reset staff accounts (the role check is in the route table). */
export function staffUserHandlers(deps: { auth: AuthService; accounts: AccountService }) {
  const renderList = async (res: Response, status: number, extra: Record<string, unknown>) =>
    res.status(status).render('staff/users', {
      title: 'Staff accounts',
      users: await deps.auth.listUsers(),
      roles,
      roleLabels: ROLE_LABELS,
      values: { email: '', name: '', role: 'agent' },
      errors: {},
      notice: null,
      problem: null,
      ...extra,
    });

  const list: RequestHandler = (req, res) => renderList(res, 200, { notice: USERS_DONE(req.query.done) });

  const add: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const values = { email: String(body.email ?? ''), name: String(body.name ?? ''), role: String(body.role ?? 'agent') };
    const parsed = newUserSchema.safeParse(body);
    const problems = parsed.success ? [] : fieldErrors(parsed.error.issues, staffMessages, body);
    if (parsed.success) {
      try {
        await deps.accounts.createUser(actorOf(req, res), parsed.data);
        res.redirect(303, '/staff/users?done=added');
        return;
      } catch (error) {
        if (!(error instanceof AppError && error.status === 409)) throw error;
        problems.push({ field: 'email', code: error.code, message: error.message });
      }
    }
    await renderList(res, 400, { values, errors: errorsByField(problems) });
  };

  async function renderEdit(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const user = await deps.auth.findUser(parseId(req.params));
    if (!user) throw new AppError(404, 'not_found', 'There is no such account.');
    res.status(status).render('staff/user-edit', {
      title: `Edit ${user.name}`,
      user,
      roles,
      values: { email: user.email, name: user.name, role: user.role },
      errors: {},
      problem: null,
      notice: USERS_DONE(req.query.done),
      ...extra,
    });
  }

  const edit: RequestHandler = (req, res) => renderEdit(req, res, 200);

  const save: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const body = req.body as Record<string, unknown>;
    const values = { email: String(body.email ?? ''), name: String(body.name ?? ''), role: String(body.role ?? '') };
    const parsed = editUserSchema.safeParse(body);
    if (!parsed.success) {
      const problems = fieldErrors(parsed.error.issues, staffMessages, body);
      return renderEdit(req, res, 400, { values, errors: errorsByField(problems), problem: summary(problems) });
    }
    try {
      await deps.accounts.updateUser(actorOf(req, res), id, parsed.data);
    } catch (error) {
      if (!(error instanceof AppError && error.status === 409)) throw error;
      const problem: FieldError = {
        field: error.code === 'email_taken' ? 'email' : 'role',
        code: error.code,
        message: error.message,
      };
      return renderEdit(req, res, 409, { values, errors: errorsByField([problem]), problem: problem.message });
    }
    res.redirect(303, `/staff/users/${id}?done=saved`);
  };

  const setDisabled =
    (disabled: boolean): RequestHandler =>
    async (req, res) => {
      const id = parseId(req.params);
      try {
        await deps.accounts.setDisabled(actorOf(req, res), id, disabled);
      } catch (error) {
        if (!(error instanceof AppError && (error.status === 409 || error.status === 400))) throw error;
        return renderList(res, error.status, { problem: error.message });
      }
      res.redirect(303, `/staff/users?done=${disabled ? 'disabled' : 'enabled'}`);
    };

  const resetPassword: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    try {
      const { user, password } = await deps.accounts.resetPassword(actorOf(req, res), id);
      // Shown once, on this answer to the POST: never in a URL, never kept by the browser's cache.
      res.set('Cache-Control', 'no-store');
      res.render('staff/user-password', { title: `New password for ${user.name}`, user, password });
    } catch (error) {
      if (!(error instanceof AppError && error.status === 400)) throw error;
      await renderEdit(req, res, 400, { problem: error.message });
    }
  };

  return { list, add, edit, save, disable: setDisabled(true), enable: setDisabled(false), resetPassword };
}

const summary = (problems: FieldError[]) => problems.map((p) => p.message).join(' ');

import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors';
import { errorsByField, fieldErrors } from '../http/validate';
import type { AuthService } from './auth.service';
import { STAFF_COOKIE } from './auth.middleware';
import type { FirstRunSetup } from './first-run';
import { newUserSchema, staffMessages } from './staff.schema';

const firstAdminSchema = newUserSchema.omit({ role: true }).extend({ confirm: z.string() });

/**
 * `/staff/setup/:token`: the first administrator, made through the one-time link the server printed
 * at start. Shown only while the link is valid and no account exists (410 after, 404 for a token
 * that was never issued); on success the new administrator is signed in.
 */
export function firstRunHandlers(setup: FirstRunSetup, auth: AuthService, secure: boolean) {
  const token = (params: Record<string, unknown>) => String(params.token ?? '');
  const render = (res: Parameters<RequestHandler>[1], status: number, values: Record<string, string>, problems: FieldError[]) =>
    res
      .status(status)
      .render('staff/setup', { title: 'Set up the helpdesk', values, errors: errorsByField(problems), errorList: problems });

  const showSetup: RequestHandler = async (req, res) => {
    await setup.check(token(req.params));
    render(res, 200, { name: '', email: '' }, []);
  };

  const createAdmin: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const values = { name: String(body.name ?? ''), email: String(body.email ?? '') };
    const parsed = firstAdminSchema.safeParse(body);
    const problems = parsed.success ? [] : fieldErrors(parsed.error.issues, staffMessages, body);
    if (parsed.success && parsed.data.confirm !== parsed.data.password)
      problems.push({
        field: 'confirm',
        code: 'mismatch',
        message: 'The two passwords are not the same. Type the same password twice.',
      });
    if (!parsed.success || problems.length > 0) {
      await setup.check(token(req.params));
      render(res, 400, values, problems);
      return;
    }
    await setup.createFirstAdmin(token(req.params), parsed.data, req.ip);
    try {
      const { sessionToken } = await auth.signIn(parsed.data.email, parsed.data.password, req.ip ?? 'unknown');
      res.cookie(STAFF_COOKIE, sessionToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 12 * 3_600_000 });
      res.redirect(303, '/staff/users?done=setup');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.redirect(303, '/staff/sign-in');
    }
  };

  return { showSetup, createAdmin };
}

import type { Request, RequestHandler, Response } from 'express';
import { formatInstant, zoneName } from '../calendar/describe-hours';
import { AppError, type FieldError } from '../errors';
import { noticeTable, parseId, parseOrThrow } from '../http/validate';
import { staffOf } from '../staff/auth.middleware';
import type { AuthService } from '../staff/auth.service';
import { OUTAGE_SCOPES, SCOPE_LABELS } from './outage-scopes';
import { describeDuration } from './outage-times';
import type { Outage, OutageService } from './outages.service';
import { declareFormSchema, endFormSchema, statusMessages, updateFormSchema } from './status.schema';

const RECENT = 20;
const DONE = noticeTable({
  declared: 'Outage declared. The banner now shows on every public page.',
  updated: 'Public message updated.',
  ended: 'Outage ended. It stays in the history on the status page.',
});
const EVENT_WORDS: Record<string, string> = {
  declared: 'Declared',
  updated: 'Message changed',
  ended: 'Ended',
  answered: 'Reports answered',
};

/** Which form a problem belongs to: the declare form, or one active outage's forms. */
type FormKey = 'declare' | `outage-${number}`;
interface Problems {
  form: FormKey;
  errors: FieldError[];
  values: Record<string, string>;
}

/** `/staff/status`: declare, update and end outages (the role check is in the route table). */
export function staffStatusHandlers(deps: { outages: OutageService; auth: AuthService; timezone: string }) {
  const { outages, timezone } = deps;
  const actor = (res: Response) => `staff:${(staffOf(res) as { id: number }).id}`;

  async function render(req: Request, res: Response, status = 200, problems?: Problems) {
    const [active, recent, users] = await Promise.all([
      outages.active(),
      outages.history({ limit: RECENT }),
      deps.auth.listUsers(),
    ]);
    const names = new Map(users.map((u) => [`staff:${u.id}`, u.name]));
    const who = (a: string) => names.get(a) ?? (a === 'cli' ? 'the command line' : a);
    const withEvents = await Promise.all(
      active.map(async (o: Outage) => ({
        ...o,
        label: SCOPE_LABELS[o.scope],
        startedText: formatInstant(o.startedAt, timezone),
        events: (await outages.events(o.id)).map(
          (e) => `${EVENT_WORDS[e.kind] ?? e.kind} by ${who(e.actor)} on ${formatInstant(e.recordedAt, timezone)}`,
        ),
      })),
    );
    const errorList = (problems?.errors ?? []).map((e) => ({
      message: e.message,
      href: `#${problems?.form}-${e.field ?? 'form'}`,
    }));
    res.status(status).render('staff/status', {
      title: 'Service status',
      active: withEvents,
      recent: recent.map((o) => ({
        ...o,
        label: SCOPE_LABELS[o.scope],
        startedText: formatInstant(o.startedAt, timezone),
        endedText: o.endedAt ? formatInstant(o.endedAt, timezone) : 'Not over',
        duration: o.endedAt ? describeDuration(o.startedAt, o.endedAt) : '',
      })),
      scopes: OUTAGE_SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] })),
      zone: zoneName(timezone),
      notice: DONE(req.query.done),
      problems: problems ?? { form: 'none', errors: [], values: {} },
      errorList,
    });
  }

  /** Runs a change; a refusal (bad input, already ended…) shows the page again with the problem beside its form. */
  async function attempt(
    req: Request,
    res: Response,
    form: FormKey,
    values: Record<string, string>,
    change: () => Promise<string>,
  ) {
    try {
      res.redirect(303, `/staff/status?done=${await change()}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await render(req, res, error.status === 409 ? 409 : error.status === 404 ? 404 : 400, {
        form,
        errors: error.toErrors(),
        values,
      });
    }
  }

  const text = (body: unknown, field: string) => {
    const value = (body as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : '';
  };

  const page: RequestHandler = (req, res) => render(req, res);

  const declare: RequestHandler = async (req, res) => {
    const values = { scope: text(req.body, 'scope'), message: text(req.body, 'message'), startedAt: text(req.body, 'startedAt') };
    await attempt(req, res, 'declare', values, async () => {
      const form = parseOrThrow(declareFormSchema, req.body, statusMessages);
      await outages.declare({ ...form, actor: actor(res) });
      return 'declared';
    });
  };

  const update: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    await attempt(req, res, `outage-${id}`, { message: text(req.body, 'message') }, async () => {
      const form = parseOrThrow(updateFormSchema, req.body, statusMessages);
      await outages.update(id, { message: form.message, actor: actor(res) });
      return 'updated';
    });
  };

  const end: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    await attempt(req, res, `outage-${id}`, { endedAt: text(req.body, 'endedAt') }, async () => {
      const form = parseOrThrow(endFormSchema, req.body, statusMessages);
      await outages.end(id, { endedAt: form.endedAt, actor: actor(res) });
      return 'ended';
    });
  };

  return { page, declare, update, end };
}

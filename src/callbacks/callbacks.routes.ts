import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import type { Config } from '../config';
import { AppError } from '../errors';
import { errorsByField, fieldErrors, noticeTable, parseOrThrow } from '../http/validate';
import { PRIVACY_WARNING } from '../policy/refusal-messages';
import { bookingMessages, bookingSchema, slotsQuerySchema } from './callback.schema';
import { CallbackExpired, type CallbackService } from './callbacks.service';
import type { Slot } from './slots';

const FIELDS = ['name', 'phone', 'email', 'start', 'ticketReference', 'topic'] as const;

function values(body: unknown): Record<string, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string) : '']));
}

/** Slots grouped by local day, for the radio buttons of the booking and reschedule forms. */
function byDay(slots: Slot[]) {
  const days = new Map<string, Array<Slot & { label: string }>>();
  for (const slot of slots) {
    const start = DateTime.fromISO(slot.start, { setZone: true });
    const day = start.toFormat('cccc, LLLL d');
    if (!days.has(day)) days.set(day, []);
    days.get(day)?.push({ ...slot, label: start.toFormat('h:mm a').replace('AM', 'a.m.').replace('PM', 'p.m.') });
  }
  return [...days.entries()].map(([day, list]) => ({ day, slots: list }));
}

/** `/callbacks` pages and the callbacks JSON API. */
export function callbackHandlers(callbacks: CallbackService, config: Config) {
  const base = (req: Request) => config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;

  const apiSlots: RequestHandler = async (req, res) => {
    const { from, days } = parseOrThrow(slotsQuerySchema, req.query, bookingMessages);
    res.json(await callbacks.slots(from, days));
  };

  const apiBook: RequestHandler = async (req, res) => {
    const input = parseOrThrow(bookingSchema, req.body, bookingMessages);
    const booking = await callbacks.book(input);
    const manageUrl = `${base(req)}/callbacks/manage/${booking.manageToken}`;
    res.status(201).json({
      id: booking.id,
      start: booking.start,
      end: booking.end,
      status: booking.status,
      manageUrl,
      icsUrl: `${manageUrl}/invite.ics`,
      ...(booking.privacyRedacted ? { privacyWarning: PRIVACY_WARNING.en } : {}),
    });
  };

  async function renderForm(res: Response, status: number, form: Record<string, string>, errors: ReturnType<typeof fieldErrors>) {
    const { slots, timezone } = await callbacks.slots(undefined, 14);
    res.status(status).render('callbacks/book', {
      title: 'Book a phone callback',
      days: byDay(slots),
      timezone,
      values: form,
      errors: errorsByField(errors),
      errorList: errors,
    });
  }

  const page: RequestHandler = (_req, res) => renderForm(res, 200, values({}), []);

  const book: RequestHandler = async (req, res) => {
    const parsed = bookingSchema.safeParse(req.body);
    if (!parsed.success)
      return renderForm(res, 400, values(req.body), fieldErrors(parsed.error.issues, bookingMessages, req.body));
    try {
      const booking = await callbacks.book(parsed.data);
      res.redirect(303, `/callbacks/manage/${booking.manageToken}?done=booked`);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        return renderForm(
          res,
          error.status,
          values(req.body),
          error.toErrors().map((e) => ({ field: e.field ?? 'start', code: e.code, message: e.message })),
        );
      }
      throw error;
    }
  };

  const NOTICES = noticeTable({
    booked: 'Your callback is booked. Add it to your calendar with the invitation below.',
    moved: 'Your callback has been moved to the new time.',
    cancelled: 'Your callback is cancelled.',
  });

  async function renderManage(res: Response, token: string, status: number, notice: string | null, problem: string | null) {
    const booking = await callbacks.view(token);
    const { slots } = booking.status === 'booked' ? await callbacks.slots(undefined, 14) : { slots: [] };
    res.set('Cache-Control', 'no-store');
    res.status(status).render('callbacks/manage', {
      title: 'Your phone callback',
      booking,
      days: byDay(slots),
      path: `/callbacks/manage/${token}`,
      notice,
      problem,
      privacyWarning: booking.privacyRedacted ? PRIVACY_WARNING.en : null,
    });
  }

  /** A spent manage link (its call time has passed) answers 410 with a page saying what to do instead. */
  const unlessExpired =
    (handler: RequestHandler): RequestHandler =>
    async (req, res, next) => {
      try {
        await handler(req, res, next);
      } catch (error) {
        if (!(error instanceof CallbackExpired)) throw error;
        res.set('Cache-Control', 'no-store');
        res.status(410).render('callbacks/expired', { title: 'The time for this call has passed' });
      }
    };

  const manage: RequestHandler = (req, res) => renderManage(res, String(req.params.token), 200, NOTICES(req.query.done), null);

  const reschedule: RequestHandler = async (req, res) => {
    const token = String(req.params.token);
    const start = String((req.body as Record<string, unknown>).start ?? '');
    try {
      await callbacks.reschedule(token, start);
      res.redirect(303, `/callbacks/manage/${token}?done=moved`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404 || error instanceof CallbackExpired)
        throw error;
      await renderManage(res, token, error.status, null, error.toErrors()[0].message);
    }
  };

  const cancel: RequestHandler = async (req, res) => {
    await callbacks.cancel(String(req.params.token));
    res.redirect(303, `/callbacks/manage/${String(req.params.token)}?done=cancelled`);
  };

  const invite: RequestHandler = async (req, res) => {
    res
      .type('text/calendar')
      .set('Content-Disposition', 'attachment; filename="helpdesk-callback.ics"')
      .send(await callbacks.invitation(String(req.params.token)));
  };

  return {
    apiSlots,
    apiBook,
    page,
    book,
    manage: unlessExpired(manage),
    reschedule: unlessExpired(reschedule),
    cancel: unlessExpired(cancel),
    invite: unlessExpired(invite),
  };
}

import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import { AppError, type FieldError } from '../errors';
import { errorsByField, fieldErrors, noticeTable, parseOrThrow } from '../http/validate';
import { hasMessage, isLanguage } from '../i18n/i18n';
import { LANGUAGE_COOKIE, languageOf, setPageLanguage } from '../i18n/page-language';
import { PRIVACY_WARNING } from '../policy/refusal-messages';
import { bookingMessages, bookingSchema, slotsQuerySchema } from './callback.schema';
import { callTimeLabel, zoneLabel } from './callback-dates';
import { displayPhone } from './callback-mail';
import { CallbackExpired, type CallbackService } from './callbacks.service';
import { dayProblem, localDate, pickerView, slotsByDay, type PickerView } from './slot-calendar';

const FIELDS = ['name', 'phone', 'email', 'start', 'day', 'ticketReference', 'topic'] as const;

function values(body: unknown): Record<string, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string) : '']));
}

/** An error in the page language: `callbacks:errors.<field>.<code>`, else `callbacks:problems.<code>`, else as given. */
function translated(res: Response, error: FieldError): FieldError {
  const t = res.locals.t as (key: string) => string;
  const language = languageOf(res);
  for (const key of [error.field ? `callbacks:errors.${error.field}.${error.code}` : null, `callbacks:problems.${error.code}`]) {
    if (key && hasMessage(language, key)) return { ...error, message: t(key) };
  }
  return error;
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
    const language = (req.body as Record<string, unknown>).language;
    const booking = await callbacks.book({ ...input, language: isLanguage(language) ? language : 'en' });
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

  /**
   * The picker of a page: the month asked for (`?month=`), the chosen day (`?day=` or the form's) and
   * its times. A day that cannot be chosen gives a `day` error and no times; the month still shows.
   */
  async function picker(res: Response, ask: { day?: unknown; month?: unknown; start?: string }) {
    const range = await callbacks.bookableRange();
    const days = slotsByDay(range.slots, range.timezone);
    const errors: FieldError[] = [];
    let chosenDay: string | null = null;
    if (ask.day !== undefined && ask.day !== '') {
      const problem = dayProblem(ask.day, days, range.today, range.lastDay);
      if (problem) errors.push(translated(res, { field: 'day', code: problem, message: 'Choose a day in the calendar.' }));
      else chosenDay = ask.day as string;
    } else if (ask.start) {
      const day = localDate(ask.start, range.timezone);
      if (day && !dayProblem(day, days, range.today, range.lastDay)) chosenDay = day;
    }
    const view: PickerView = pickerView({
      zone: range.timezone,
      language: languageOf(res),
      slots: range.slots,
      today: range.today,
      lastDay: range.lastDay,
      month: ask.month,
      chosenDay,
      selectedStart: ask.start,
    });
    return { view, errors, timezone: range.timezone };
  }

  /**
   * What a form asked for: its chosen day, when it names one, must be bookable and the time must fall
   * on it. A day that filled up since the page was shown is reported on the time (slot_full) instead.
   */
  async function chosenDayErrors(form: Record<string, string>): Promise<FieldError[]> {
    if (!form.day) return [];
    const range = await callbacks.bookableRange();
    const problem = dayProblem(form.day, slotsByDay(range.slots, range.timezone), range.today, range.lastDay);
    if (problem && problem !== 'no_times') return [{ field: 'day', code: problem, message: 'Choose a day in the calendar.' }];
    const startDay = form.start ? localDate(form.start, range.timezone) : null;
    if (startDay !== null && startDay !== form.day)
      return [{ field: 'start', code: 'not_on_day', message: 'Choose one of the times of the day you chose.' }];
    return [];
  }

  async function renderForm(req: Request, res: Response, status: number, form: Record<string, string>, errors: FieldError[]) {
    const chosen = await picker(res, { day: form.day || req.query.day, month: req.query.month, start: form.start });
    const all = [...chosen.errors.filter((e) => !errors.some((x) => x.field === e.field)), ...errors];
    res.status(all.length > 0 && status === 200 ? 400 : status).render('callbacks/book', {
      title: res.locals.t('callbacks:book.title'),
      picker: chosen.view,
      minutes: config.profile.callbacks.slotMinutes,
      zone: zoneLabel(chosen.timezone, languageOf(res), new Date()),
      values: form,
      errors: errorsByField(all),
      errorList: all,
    });
  }

  const page: RequestHandler = (req, res) => renderForm(req, res, 200, values({}), []);

  const book: RequestHandler = async (req, res) => {
    const form = values(req.body);
    const parsed = bookingSchema.safeParse(req.body);
    const dayErrors = await chosenDayErrors(form);
    if (!parsed.success || dayErrors.length > 0) {
      const errors = [...(parsed.success ? [] : fieldErrors(parsed.error.issues, bookingMessages, req.body)), ...dayErrors];
      const unique = errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i);
      return renderForm(
        req,
        res,
        400,
        form,
        unique.map((e) => translated(res, e)),
      );
    }
    try {
      const booking = await callbacks.book({ ...parsed.data, language: languageOf(res) });
      res.redirect(303, `/callbacks/manage/${booking.manageToken}?done=booked`);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        const errors = error
          .toErrors()
          .map((e) => translated(res, { field: e.field ?? 'start', code: e.code, message: e.message }));
        // A full or refused time is not offered again: the day's times are shown afresh, nothing chosen.
        return renderForm(req, res, error.status, { ...form, start: '' }, errors);
      }
      throw error;
    }
  };

  const NOTICES = noticeTable({ booked: 'booked', moved: 'moved', cancelled: 'cancelledNotice' });

  /** The manage page follows the booking's language unless the filer chose one (?lang= or the switch's cookie). */
  function bookingLanguage(req: Request, res: Response, language: unknown) {
    if (req.query.lang === undefined && !isLanguage(req.cookies?.[LANGUAGE_COOKIE]) && isLanguage(language))
      setPageLanguage(req, res, language);
  }

  async function renderManage(
    req: Request,
    res: Response,
    status: number,
    notice: string | null,
    problem: FieldError | null,
    form: Record<string, string> = values({}),
  ) {
    const token = String(req.params.token);
    const booking = await callbacks.view(token);
    bookingLanguage(req, res, booking.language);
    const chosen =
      booking.status === 'booked'
        ? await picker(res, { day: form.day || req.query.day, month: req.query.month, start: form.start })
        : null;
    const errors = [...(problem ? [translated(res, problem)] : []), ...(chosen?.errors ?? [])];
    res.set('Cache-Control', 'no-store');
    res.status(errors.length > 0 && status === 200 ? 400 : status).render('callbacks/manage', {
      title: res.locals.t(booking.status === 'cancelled' ? 'callbacks:manage.cancelledTitle' : 'callbacks:manage.title'),
      booking,
      phone: displayPhone(booking.phone),
      when: callTimeLabel(booking.start, config.profile.timezone, languageOf(res)),
      picker: chosen?.view ?? null,
      path: `/callbacks/manage/${token}`,
      notice,
      errors: errorsByField(errors),
      errorList: errors,
      privacyWarning: booking.privacyRedacted ? PRIVACY_WARNING[languageOf(res)] : null,
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
        res.status(410).render('callbacks/expired', { title: res.locals.t('callbacks:expired.title') });
      }
    };

  const manage: RequestHandler = (req, res) => renderManage(req, res, 200, NOTICES(req.query.done), null);

  const reschedule: RequestHandler = async (req, res) => {
    const token = String(req.params.token);
    const form = values(req.body);
    try {
      const [dayError] = await chosenDayErrors(form);
      if (dayError) return await renderManage(req, res, 400, null, dayError, form);
      if (!form.start)
        return await renderManage(
          req,
          res,
          400,
          null,
          { field: 'start', code: 'required', message: 'Please choose a time.' },
          form,
        );
      await callbacks.reschedule(token, form.start);
      res.redirect(303, `/callbacks/manage/${token}?done=moved`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404 || error instanceof CallbackExpired)
        throw error;
      const [first] = error.toErrors();
      await renderManage(
        req,
        res,
        error.status,
        null,
        { field: first.field ?? 'start', code: first.code, message: first.message },
        {
          ...form,
          start: '',
        },
      );
    }
  };

  /** Asks once before cancelling (a page, so it works without JavaScript); a cancelled booking goes back to its page. */
  const confirmCancel: RequestHandler = async (req, res) => {
    const token = String(req.params.token);
    const booking = await callbacks.view(token);
    bookingLanguage(req, res, booking.language);
    if (booking.status !== 'booked') return res.redirect(303, `/callbacks/manage/${token}`);
    res.set('Cache-Control', 'no-store');
    res.render('callbacks/cancel', {
      title: res.locals.t('callbacks:cancel.title'),
      booking,
      when: callTimeLabel(booking.start, config.profile.timezone, languageOf(res)),
      path: `/callbacks/manage/${token}`,
    });
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
    confirmCancel: unlessExpired(confirmCancel),
    cancel: unlessExpired(cancel),
    invite: unlessExpired(invite),
  };
}

import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../errors';
import { errorsByField, fieldErrors, noticeTable, parseId, parseOrThrow, type MessageTable } from '../http/validate';
import { staffOf } from '../staff/auth.middleware';
import { zoneName } from '../calendar/describe-hours';
import { languageOf } from '../i18n/page-language';
import { isoInZone, postedAt } from './outage-times';
import { OUTAGE_SCOPES, scopeLabel } from './outage-scopes';
import { outageReportMessages, outageReportSchema } from './outage-reports.schema';
import type { OutageReportService } from './outage-reports.service';
import type { OutageService } from './outages.service';

const FORM_FIELDS = ['name', 'email', 'phone', 'caseNumber', 'scope', 'description', 'observedAt'] as const;

/** Only the known fields, as strings, for showing the form again (never the raw body). */
function formValues(body: unknown): Record<string, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(FORM_FIELDS.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string) : '']));
}

function baseUrl(config: Config, req: Request): string {
  return config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
}

/** `:id` of the staff pages: an outage's number, or `none` for reports received when none was declared. */
const outageParam = (req: Request): number | null => (req.params.id === 'none' ? null : parseId(req.params));

const answerSchema = z.object({
  body: z.string().trim().min(1).max(20000),
  formKey: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
});
const answerMessages: MessageTable = {
  body: { required: 'Write the answer before sending it.', too_long: 'Please keep the answer under 20,000 characters.' },
  formKey: {
    required: 'Please reload the page and send the answer again.',
    invalid: 'Please reload the page and send the answer again.',
  },
};
const listQuery = z.object({ before: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined) });
const DONE = noticeTable({
  answered: 'Your answer was sent to every report of this outage, each as a reply to the filer.',
  answering:
    'Your answer is being sent to the reports of this outage, each as a reply to the filer. There are many, so it goes on after this page: reload it to see how many it has reached.',
});
// With email off, the answer is kept on each report and read through the filer's private link.
const DONE_NOT_EMAILED = noticeTable({
  answered:
    'Your answer was saved on every report of this outage. It was not emailed: email is not set up, so filers see it only through their private links.',
  answering:
    'Your answer is being saved on the reports of this outage; there are many, so it goes on after this page: reload it to see how many it has reached. It is not emailed: email is not set up, so filers see it only through their private links.',
});

/** HTTP handlers for filers' reports: the report form and API, the receipt, and the staff pages. */
export function outageReportHandlers(deps: {
  reports: OutageReportService;
  outages: Pick<OutageService, 'active'>;
  config: Config;
  now: () => Date;
}) {
  const { reports, config, now } = deps;
  const zone = config.profile.timezone;

  async function renderForm(
    res: Response,
    status: number,
    values: Record<string, string>,
    errorList: ReturnType<typeof fieldErrors>,
  ) {
    const language = languageOf(res);
    const active = (await deps.outages.active()).map((o) => ({
      what: scopeLabel(o.scope, language),
      since: postedAt(o.startedAt, zone, now(), language),
      message: o.message,
    }));
    res.status(status).render('status/report', {
      title: res.locals.t(errorList.length > 0 ? 'status:report.titleWithErrors' : 'status:report.title'),
      values,
      errors: errorsByField(errorList),
      errorList,
      scopes: OUTAGE_SCOPES.map((value) => ({ value, label: scopeLabel(value, language) })),
      active,
      zoneLabel: zoneName(zone, now(), language),
    });
  }

  const showForm: RequestHandler = (_req, res) => renderForm(res, 200, formValues({}), []);

  const submitForm: RequestHandler = async (req, res) => {
    const parsed = outageReportSchema(zone, now()).safeParse(req.body);
    if (!parsed.success)
      return renderForm(
        res,
        400,
        formValues(req.body),
        fieldErrors(parsed.error.issues, outageReportMessages, req.body, languageOf(res)),
      );
    const received = await reports.report(parsed.data, 'web', languageOf(res));
    res.redirect(303, `/status/receipts/${received.receiptToken}`);
  };

  const receipt: RequestHandler = async (req, res) => {
    const token = String(req.params.token);
    const shown = await reports.receipt(token, languageOf(res));
    res.set('Cache-Control', 'no-store');
    res.render('status/receipt', {
      title: res.locals.t('status:receipt.title', { reference: shown.reference }),
      receipt: shown,
      receiptUrl: `${baseUrl(config, req)}/status/receipts/${token}`,
    });
  };

  const apiReport: RequestHandler = async (req, res) => {
    const input = parseOrThrow(outageReportSchema(zone, now()), req.body, outageReportMessages);
    const received = await reports.report(input, 'api');
    const base = baseUrl(config, req);
    res.status(201).json({
      reference: received.reference,
      receivedAt: isoInZone(received.receivedAt, zone),
      ...(received.outageId !== null ? { outageId: received.outageId } : {}),
      receiptUrl: `${base}/status/receipts/${received.receiptToken}`,
      statusUrl: `${base}/requests/${received.statusToken}`,
    });
  };

  async function renderReports(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const outageId = outageParam(req);
    const { before } = listQuery.parse(req.query);
    const view = await reports.reportsOf(outageId, before);
    const mailSending = Boolean(req.app.locals.mailSending);
    res.status(status).render('staff/outage-reports', {
      title: view.outage ? `Reports of the ${view.outage.what} outage` : 'Reports received when no outage was declared',
      ...view,
      olderUrl: view.before ? `${req.path}?before=${view.before}` : null,
      notice: (mailSending ? DONE : DONE_NOT_EMAILED)(req.query.done),
      // A new key for each form shown: sending the same form twice is recognised and sends nothing more.
      formKey: randomBytes(24).toString('base64url'),
      draft: '',
      errors: {},
      ...extra,
    });
  }

  const staffReports: RequestHandler = (req, res) => renderReports(req, res, 200);

  const answerAll: RequestHandler = async (req, res) => {
    const outageId = outageParam(req);
    if (outageId === null) throw new AppError(404, 'not_found', 'Reports of no outage are answered one by one.');
    const body = req.body as Record<string, unknown>;
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success) {
      const list = fieldErrors(parsed.error.issues, answerMessages, body);
      return renderReports(req, res, 400, {
        draft: typeof body.body === 'string' ? body.body : '',
        errors: errorsByField(list.map((e) => ({ ...e, field: 'body' }))),
      });
    }
    const { finished } = await reports.answerAll(
      outageId,
      staffOf(res) as NonNullable<ReturnType<typeof staffOf>>,
      parsed.data.body,
      parsed.data.formKey,
    );
    res.redirect(303, `/staff/status/${outageId}/reports?done=${finished ? 'answered' : 'answering'}`);
  };

  return { showForm, submitForm, receipt, apiReport, staffReports, answerAll };
}

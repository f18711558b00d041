import type { RequestHandler } from 'express';
import { DateTime } from 'luxon';
import { errorsByField, fieldErrors } from '../http/validate';
import { AUDIT_ACTIONS } from './audit-actions';
import { auditQueryMessages, auditQuerySchema, type AuditQueryInput } from './audit.schema';
import { actorWords, type AuditService } from './audit.service';

const PAGE_SIZE = 50;
const actions = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

/** A details value as a person reads it: lists cut short after a few. */
function detailText(value: unknown): string {
  if (Array.isArray(value))
    return value.length > 20 ? `${value.slice(0, 20).join(', ')} and ${value.length - 20} more` : value.join(', ');
  return value === null ? 'none' : String(value);
}

/** `/staff/audit` (administrators; the role check is in the route table): the audit log, filtered, newest first. */
export function auditHandlers(deps: { audit: AuditService; timezone: string }) {
  const { timezone } = deps;
  // Dates in the filters are days on the court's clock.
  const startOfDay = (date: string, plusDays = 0) =>
    DateTime.fromISO(date, { zone: timezone }).startOf('day').plus({ days: plusDays }).toUTC().toISO() as string;

  const page: RequestHandler = async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const values = Object.fromEntries(
      ['actor', 'action', 'from', 'to', 'reference'].map((key) => [key, typeof query[key] === 'string' ? query[key] : '']),
    );
    const parsed = auditQuerySchema.safeParse(query);
    const view = { title: 'Audit log', values, actions, actorWords, detailText, errors: {}, entries: [], nextUrl: null };
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error.issues, auditQueryMessages, query);
      return res.status(400).render('staff/audit', { ...view, errors: errorsByField(errors), problems: errors });
    }
    const filters: AuditQueryInput = parsed.data;
    const reference = filters.reference && /^hd-/i.test(filters.reference) ? filters.reference.toUpperCase() : filters.reference;
    const found = await deps.audit.list({
      actor: filters.actor,
      action: filters.action,
      from: filters.from && startOfDay(filters.from),
      to: filters.to && startOfDay(filters.to, 1),
      subject: reference,
      before: filters.before,
      limit: PAGE_SIZE + 1,
    });
    const entries = found.slice(0, PAGE_SIZE);
    let nextUrl: string | null = null;
    if (found.length > PAGE_SIZE) {
      const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v) as Array<[string, string]>);
      params.set('before', String(entries[entries.length - 1].id));
      nextUrl = `/staff/audit?${params.toString()}`;
    }
    res.render('staff/audit', { ...view, entries, nextUrl, problems: [] });
  };

  return { page };
}

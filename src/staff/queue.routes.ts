import type { Request, RequestHandler, Response } from 'express';
import type { AuditService } from '../audit/audit.service';
import { formatAge } from '../calendar/describe-hours';
import type { Db } from '../db/knex';
import { AppError, type FieldError } from '../errors';
import { isTopic, topicLabel, TOPICS } from '../faq/faq-topics';
import { errorsByField, fieldErrors, parseId } from '../http/validate';
import { applyBulkChange, BULK_STATUSES, StaleSelection } from '../tickets/bulk-change';
import { normaliseTag, TAG_RULE } from '../tickets/ticket-tags';
import { tagInUse, tagsInUse } from '../tickets/ticket-labels.repository';
import { TICKET_STATUSES } from '../tickets/ticket.types';
import { staffOf } from './auth.middleware';
import { dueCounts, groupsOutageReports, listQueue, statusCounts, type QueueFilters } from './queue.repository';
import {
  queueQueryString,
  queueQuerySchema,
  readBulkForm,
  readQueueQuery,
  savedFilterMessages,
  savedFilterSchema,
  type QueueQuery,
} from './queue.schema';
import { firstResponseState, reviewLabel } from './ticket-badges';
import { resolutionClocksFor } from '../tickets/resolution-clock';
import type { CourtProfile } from '../config/court-profile';
import { deleteSavedFilter, listSavedFilters, saveFilter, SAVED_FILTERS_MAX } from './saved-filters.repository';
import { listActiveStaff } from './staff.repository';

const me = (res: Response) => staffOf(res) as NonNullable<ReturnType<typeof staffOf>>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Errors keyed by the element each is about on the page: `tag` of the bulk form is `bulk-tag`. */
const on = (prefix: 'bulk' | 'filter', errors: FieldError[]) =>
  errors.map((e) => (e.field ? { ...e, field: `${prefix}-${e.field}` } : e));

const BULK_DONE: Record<string, string> = {
  'bulk-assign': 'Assignment saved on',
  'bulk-status': 'Status changed on',
  'bulk-tag': 'Tag added to',
};

/** What staff read after a bulk action: how many tickets changed, and how many were so already. */
function bulkNotice(query: Request['query']): string | null {
  const what = Object.hasOwn(BULK_DONE, String(query.done)) ? BULK_DONE[String(query.done)] : undefined;
  if (!what) return null;
  const changed = Number(query.changed) || 0;
  const same = Number(query.same) || 0;
  const left =
    same > 0
      ? ` ${plural(same, 'ticket was', 'tickets were')} so already and left as ${same === 1 ? 'it was' : 'they were'}.`
      : '';
  return `${what} ${plural(changed, 'ticket', 'tickets')}.${left}`;
}

const NOTHING_CHANGED = 'Nothing was changed.';

const SAVED_NOTICES: Record<string, string> = {
  'filter-saved': 'Filter saved. It is listed under "Your saved filters".',
  'filter-deleted': 'Saved filter deleted.',
};

/** A problem with the filters in the address (a topic or tag that does not exist), or none. */
async function filterProblems(db: Db, query: QueueQuery): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (query.topic !== undefined && !isTopic(query.topic))
    problems.push({
      field: 'topic',
      code: 'unknown_topic',
      message: `There is no topic "${query.topic.slice(0, 60)}". Choose one of the topics in the list.`,
    });
  if (query.tag !== undefined) {
    const tag = normaliseTag(query.tag);
    if (!tag)
      problems.push({ field: 'tag', code: 'invalid_tag', message: `"${query.tag.slice(0, 60)}" is not a tag. ${TAG_RULE}` });
    else if (!(await tagInUse(db, tag)))
      problems.push({
        field: 'tag',
        code: 'unknown_tag',
        message: `No ticket has the tag "${tag}". Choose one of the tags in use.`,
      });
  }
  return problems;
}

/** The queue page: list, filters, saved filters and bulk actions on selected tickets. */
export function queueHandlers(deps: {
  db: Db;
  now: () => Date;
  audit: Pick<AuditService, 'record'>;
  /** For each row's resolution target, counted in the court's business hours. */
  profile: CourtProfile;
  /** The queue's rows for outage reports, one per outage (`fresh`: counted again at once). */
  outageReportGroups?: (fresh: boolean) => Promise<unknown[]>;
}) {
  const { db } = deps;

  /** The filters of a request's query string, and what is wrong with them (a bad topic or tag). */
  async function readFilters(raw: Record<string, unknown>): Promise<{ filters: QueueQuery; problems: FieldError[] }> {
    const parsed = queueQuerySchema.safeParse(raw);
    if (!parsed.success)
      return {
        filters: queueQuerySchema.parse({ ...raw, topic: undefined, tag: undefined }),
        problems: [
          { field: 'topic', code: 'invalid_filter', message: 'Give one topic and one tag at most, each from the lists.' },
        ],
      };
    const problems = await filterProblems(db, parsed.data);
    const tag = parsed.data.tag === undefined ? undefined : (normaliseTag(parsed.data.tag) ?? parsed.data.tag);
    return { filters: { ...parsed.data, tag }, problems };
  }

  interface PageState {
    status: number;
    notice?: string | null;
    problem?: string | null;
    errors?: FieldError[];
    /** Rows the staff member had selected (kept checked), and those changed meanwhile (named). */
    selected?: Set<number>;
    stale?: Set<string>;
    bulk?: Record<string, unknown>;
  }

  async function render(req: Request, res: Response, filters: QueueQuery, state: PageState, listable = true) {
    const now = deps.now();
    const fresh = 'done' in req.query || state.status !== 200;
    const staff = me(res);
    const [page, counts, due, outageGroups, staffList, tags, saved] = await Promise.all([
      listable ? listQueue(db, filters as QueueFilters, { me: staff.id, now }) : { rows: [], next: undefined, corrections: [] },
      statusCounts(db, now.getTime(), fresh),
      dueCounts(db, now, fresh),
      listable && groupsOutageReports(filters) && deps.outageReportGroups ? deps.outageReportGroups(fresh) : [],
      listActiveStaff(db),
      tagsInUse(db),
      listSavedFilters(db, staff.id),
    ]);
    const clocks = await resolutionClocksFor(db, deps.profile, page.rows, now);
    const query = (extra: Record<string, string | undefined>) => `/staff?${queueQueryString(filters, extra)}`;
    const errors = state.errors ?? [];
    res.status(state.status).render('staff/queue', {
      title: filters.status === 'rejected' ? 'Rejected requests' : 'Queue',
      filters,
      rows: page.rows.map((r) => ({
        ...r,
        due: firstResponseState(r.firstResponseDueAt, r.firstResponseAt, now),
        resolution: clocks.get(r.id),
        age: formatAge(r.createdAt, now),
        review: r.needsReview ? reviewLabel(r.policyReasons) : null,
        topicLabel: topicLabel(r.topic),
        stale: state.stale?.has(r.reference) ?? false,
        selected: state.selected?.has(r.id) ?? false,
      })),
      nextUrl: page.next ? query({ after: page.next }) : null,
      counts,
      due,
      statuses: TICKET_STATUSES,
      bulkStatuses: BULK_STATUSES,
      topics: TOPICS,
      tagsInUse: tags,
      staffList,
      savedFilters: saved.map((f) => ({ ...f, url: `/staff?${f.query}` })),
      canSaveMore: saved.length < SAVED_FILTERS_MAX,
      currentQuery: queueQueryString(filters),
      corrections: page.corrections,
      query,
      outageGroups,
      notice: state.notice ?? null,
      problem: state.problem ?? null,
      errors: errorsByField(errors),
      errorList: errors,
      bulk: state.bulk ?? {},
    });
  }

  const queue: RequestHandler = async (req, res) => {
    const { filters, problems } = await readFilters(req.query);
    if (problems.length > 0) return render(req, res, filters, { status: 400, errors: on('filter', problems) }, false);
    const notice =
      bulkNotice(req.query) ??
      (Object.hasOwn(SAVED_NOTICES, String(req.query.done)) ? SAVED_NOTICES[String(req.query.done)] : null);
    await render(req, res, filters, { status: 200, notice });
  };

  /** The queue the bulk form was sent from (its filters travel in `back`), to return to. */
  const backOf = (body: Record<string, unknown>) => readQueueQuery(typeof body.back === 'string' ? body.back.slice(0, 1000) : '');

  const bulk: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const filters = backOf(body);
    const staff = me(res);
    const form = readBulkForm(body, staff.id);
    const kept = { tag: body.tag, assigneeId: body.assigneeId, status: body.status };
    if (Array.isArray(form))
      return render(req, res, filters, { status: 400, errors: on('bulk', form), problem: NOTHING_CHANGED, bulk: kept });
    const selected = new Set(form.selection.map((s) => s.id));
    try {
      const result = await db.transaction((trx) =>
        applyBulkChange(trx, {
          staff,
          profile: deps.profile,
          selection: form.selection,
          change: form.change,
          at: deps.now().toISOString(),
          address: req.ip,
          audit: deps.audit,
        }),
      );
      const done = {
        done: `bulk-${form.change.kind}`,
        changed: String(result.changed.length),
        same: String(result.unchanged.length),
      };
      res.redirect(303, `/staff?${queueQueryString(filters, done)}`);
    } catch (error) {
      if (error instanceof StaleSelection)
        return render(req, res, filters, {
          status: 409,
          problem:
            'Their rows are marked "Changed by someone else" and show what they hold now. Check them, then apply again: your selection is kept.',
          errors: [{ field: 'bulk-tickets', code: error.code, message: error.message }],
          selected,
          stale: new Set(error.references),
          bulk: kept,
        });
      if (error instanceof AppError && error.status === 400) {
        return render(req, res, filters, {
          status: 400,
          errors: on('bulk', error.toErrors()),
          problem: NOTHING_CHANGED,
          selected,
          bulk: kept,
        });
      }
      throw error;
    }
  };

  const saveFilterHandler: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const parsed = savedFilterSchema.safeParse(body);
    const filters = readQueueQuery(typeof body.query === 'string' ? body.query : '');
    if (!parsed.success) {
      return render(req, res, filters, {
        status: 400,
        errors: on('filter', fieldErrors(parsed.error.issues, savedFilterMessages, body)),
      });
    }
    const problems = await filterProblems(db, filters);
    if (problems.length > 0) return render(req, res, readQueueQuery(''), { status: 400, errors: on('filter', problems) });
    // Stored as the queue reads it back: defaults left out, nothing but the filters.
    const query = queueQueryString(filters);
    if (!(await saveFilter(db, me(res).id, parsed.data.name, query, deps.now().toISOString()))) {
      const message = `You have ${SAVED_FILTERS_MAX} saved filters: delete one before saving another.`;
      return render(req, res, filters, { status: 400, errors: [{ field: 'filter-name', code: 'too_many', message }] });
    }
    res.redirect(303, `/staff?${queueQueryString(filters, { done: 'filter-saved' })}`);
  };

  const deleteFilterHandler: RequestHandler = async (req, res) => {
    const id = parseId(req.params);
    const deleted = await deleteSavedFilter(db, me(res).id, id);
    if (!deleted)
      return render(req, res, readQueueQuery(''), {
        status: 404,
        problem: 'That saved filter does not exist (it may have been deleted already).',
      });
    res.redirect(303, '/staff?done=filter-deleted');
  };

  return { queue, bulk, saveFilter: saveFilterHandler, deleteFilter: deleteFilterHandler };
}

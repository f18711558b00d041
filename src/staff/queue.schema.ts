import { z } from 'zod';
import type { FieldError } from '../errors';
import { BULK_MAX, BULK_STATUSES, type BulkChange } from '../tickets/bulk-change';
import { normaliseTag, TAG_RULE } from '../tickets/ticket-tags';
import { TICKET_STATUSES } from '../tickets/ticket.types';

const blankAsMissing = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const checkbox = z
  .enum(['1'])
  .optional()
  .catch(undefined)
  .transform((v) => v === '1');

/**
 * The queue's filters from its query string. Most fall back to the default when unreadable (a link
 * cut short still shows the queue); a topic or tag is checked by the handler, which names a wrong one.
 */
export const queueQuerySchema = z.object({
  status: z.enum(['active', 'all', ...TICKET_STATUSES]).catch('active'),
  owner: z.enum(['all', 'mine', 'unassigned']).catch('all'),
  hasCaseNumber: checkbox,
  flagged: checkbox,
  q: z.string().max(200).catch(''),
  sort: z.enum(['newest', 'oldest', 'due', 'updated']).catch('newest'),
  // Unread here (no fallback): a topic or tag given twice, or far too long, fails the whole parse.
  topic: z.preprocess(blankAsMissing, z.string().max(100).optional()),
  tag: z.preprocess(blankAsMissing, z.string().max(100).optional()),
  due: z.enum(['overdue', 'soon']).optional().catch(undefined),
  after: z.string().max(200).optional().catch(undefined),
});

export type QueueQuery = z.infer<typeof queueQuerySchema>;

/** The query string of these filters, defaults left out, in one order (what a saved filter stores). */
export function queueQueryString(filters: QueueQuery, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  const values: Record<string, string | undefined> = {
    status: filters.status === 'active' ? undefined : filters.status,
    owner: filters.owner === 'all' ? undefined : filters.owner,
    q: filters.q || undefined,
    sort: filters.sort === 'newest' ? undefined : filters.sort,
    topic: filters.topic,
    tag: filters.tag,
    due: filters.due,
    hasCaseNumber: filters.hasCaseNumber ? '1' : undefined,
    flagged: filters.flagged ? '1' : undefined,
    ...extra,
  };
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
}

/** The filters a query string holds, as the queue would read them from its address (an unreadable topic or tag left out). */
export function readQueueQuery(query: string): QueueQuery {
  const values = Object.fromEntries(new URLSearchParams(query.replace(/^\?/, '')));
  const parsed = queueQuerySchema.safeParse(values);
  return parsed.success ? parsed.data : queueQuerySchema.parse({ ...values, topic: undefined, tag: undefined });
}

export const savedFilterSchema = z.object({
  name: z.string().trim().min(1).max(80),
  query: z.string().max(1000).catch(''),
});

export const savedFilterMessages = {
  name: { required: 'Give the filter a name.', too_long: 'A filter name is at most 80 characters.' },
};

/** A bulk action as the queue's form sends it: what to do, to which tickets (each as `id:version`). */
export interface BulkForm {
  selection: Array<{ id: number; version: number }>;
  change: BulkChange;
}

const SELECTED = /^(\d{1,10}):(\d{1,10})$/;
const STATUS_WORDS = 'Open, Waiting for filer, Resolved or Closed';

/**
 * Reads the bulk form, or the problems with it, each with a field and a stable code: no ticket
 * selected, too many, an action or status that does not exist, an assignee or tag that is not valid.
 * `me` is the staff member, for "assign to me".
 */
export function readBulkForm(body: Record<string, unknown>, me: number): BulkForm | FieldError[] {
  const listed = body.tickets === undefined ? [] : Array.isArray(body.tickets) ? (body.tickets as unknown[]) : [body.tickets];
  const selection = listed.flatMap((value) => {
    const match = typeof value === 'string' ? SELECTED.exec(value) : null;
    return match ? [{ id: Number(match[1]), version: Number(match[2]) }] : [];
  });
  const errors: FieldError[] = [];
  if (selection.length !== listed.length)
    errors.push({ field: 'tickets', code: 'invalid', message: 'The selection could not be read: load the list again.' });
  else if (selection.length === 0)
    errors.push({
      field: 'tickets',
      code: 'nothing_selected',
      message: 'Select at least one ticket first (the boxes at the start of each row).',
    });
  else if (new Set(selection.map((s) => s.id)).size > BULK_MAX)
    errors.push({ field: 'tickets', code: 'too_many', message: `Select at most ${BULK_MAX} tickets at a time.` });

  const action = body.action;
  let change: BulkChange | undefined;
  if (action === 'assign') {
    const value = body.assigneeId;
    if (value === '' || value === 'none') change = { kind: 'assign', assigneeId: null };
    else if (value === 'me') change = { kind: 'assign', assigneeId: me };
    else if (typeof value === 'string' && /^\d{1,10}$/.test(value)) change = { kind: 'assign', assigneeId: Number(value) };
    else errors.push({ field: 'assigneeId', code: 'unknown_staff', message: 'Choose an active staff member.' });
  } else if (action === 'status') {
    const status = body.status;
    if (typeof status === 'string' && (BULK_STATUSES as readonly string[]).includes(status))
      change = { kind: 'status', status: status as (typeof BULK_STATUSES)[number] };
    else errors.push({ field: 'status', code: 'invalid_status', message: `Choose a status: ${STATUS_WORDS}.` });
  } else if (action === 'tag') {
    const tag = typeof body.tag === 'string' ? normaliseTag(body.tag) : null;
    if (tag) change = { kind: 'tag', tag };
    else
      errors.push({
        field: 'tag',
        code: typeof body.tag === 'string' && body.tag.trim() !== '' ? 'invalid_tag' : 'required',
        message: typeof body.tag === 'string' && body.tag.trim() !== '' ? TAG_RULE : 'Write the tag to add.',
      });
  } else
    errors.push({
      field: 'action',
      code: 'invalid_action',
      message: 'Choose what to do: assign, change the status or add a tag.',
    });

  // Each ticket once (a row checked twice by a hand-made request counts once).
  const unique = [...new Map(selection.map((s) => [s.id, s])).values()];
  return errors.length > 0 || !change ? errors : { selection: unique, change };
}

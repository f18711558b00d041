import { staffActor, type AuditAction, type AuditService } from '../audit/audit.service';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { Conflict, Invalid } from '../errors';
import { isActiveStaff, type StaffUser } from '../staff/staff.repository';
import { recordResolutionHours } from './resolution-clock';
import { addTag } from './ticket-labels.repository';
import type { Ticket, TicketStatus } from './ticket.types';
import * as repo from './tickets.repository';

/**
 * The statuses tickets selected together may be moved to. Not `new` (a ticket is new until someone
 * works it) nor `rejected` (refusing a request has its own review, with a notice to the filer).
 */
export const BULK_STATUSES = ['open', 'waiting', 'resolved', 'closed'] as const satisfies readonly TicketStatus[];
export type BulkStatus = (typeof BULK_STATUSES)[number];

/** The most tickets one bulk action takes: two pages of the queue. */
export const BULK_MAX = 100;

export type BulkChange =
  { kind: 'assign'; assigneeId: number | null } | { kind: 'status'; status: BulkStatus } | { kind: 'tag'; tag: string };

export interface BulkChangeProps {
  staff: StaffUser;
  /** The court's calendar, for the time a resolved ticket took. */
  profile: CourtProfile;
  /** The tickets as the staff member saw them: each id with its version then. */
  selection: Array<{ id: number; version: number }>;
  change: BulkChange;
  at: string;
  /** The client's address, for the audit log. */
  address?: string;
  audit: Pick<AuditService, 'record'>;
}

/** Some selected tickets changed after the page was loaded (or were merged away): nothing is applied. */
export class StaleSelection extends Conflict {
  constructor(readonly references: string[]) {
    super(
      'stale_selection',
      `Nothing was changed: ${references.join(', ')} ${references.length === 1 ? 'was' : 'were'} changed by someone else after you loaded the list.`,
    );
  }
}

const AUDIT_ACTION: Record<BulkChange['kind'], AuditAction> = {
  assign: 'ticket.bulk_assigned',
  status: 'ticket.bulk_status_changed',
  tag: 'ticket.bulk_tagged',
};

/** What the change does to one ticket: its history entry and column changes, or null when it is so already. */
function changeOf(ticket: Ticket, change: BulkChange, at: string) {
  if (change.kind === 'assign')
    return ticket.assigneeId === change.assigneeId
      ? null
      : {
          action: 'assigned',
          columns: { assignee_id: change.assigneeId },
          before: { assigneeId: ticket.assigneeId },
          after: { assigneeId: change.assigneeId },
        };
  if (change.kind === 'status')
    return ticket.status === change.status
      ? null
      : {
          action: 'status_changed',
          columns: { status: change.status, closed_at: change.status === 'closed' ? at : null },
          before: { status: ticket.status },
          after: { status: change.status },
        };
  return { action: 'tagged', columns: {}, before: undefined, after: { tag: change.tag } };
}

/**
 * One change to every selected ticket, inside the caller's transaction: either all of them, or,
 * when any was changed since the staff member saw it, none (StaleSelection names those). Each
 * changed ticket gets its history entry and its audit entry, as a change on the ticket page does;
 * a ticket that is so already is left as it is. Returns the references changed and those left.
 */
export async function applyBulkChange(trx: Db, props: BulkChangeProps): Promise<{ changed: string[]; unchanged: string[] }> {
  const { staff, selection, change, at } = props;
  if (change.kind === 'assign' && change.assigneeId !== null && !(await isActiveStaff(trx, change.assigneeId)))
    throw new Invalid([{ field: 'assigneeId', code: 'unknown_staff', message: 'Choose an active staff member.' }]);

  const seen = new Map(selection.map((s) => [s.id, s.version]));
  const tickets = await repo.findTicketsByIds(trx, [...seen.keys()]);
  const found = new Set(tickets.map((t) => t.id));
  const gone = [...seen.keys()].filter((id) => !found.has(id));
  if (gone.length > 0)
    throw new Invalid([{ field: 'tickets', code: 'unknown_ticket', message: 'Some of the selected tickets no longer exist.' }]);
  const stale = tickets.filter((t) => t.version !== seen.get(t.id) || t.mergedIntoId !== null);
  if (stale.length > 0) throw new StaleSelection(stale.map((t) => t.reference));
  const rejected = change.kind === 'status' ? tickets.filter((t) => t.status === 'rejected') : [];
  if (rejected.length > 0)
    throw new Invalid([
      {
        field: 'tickets',
        code: 'rejected_selected',
        message: `${rejected.map((t) => t.reference).join(', ')} ${rejected.length === 1 ? 'is a refused request' : 'are refused requests'}: a refusal is undone from the ticket's own page (reinstate), not from the list.`,
      },
    ]);

  const tagged = change.kind === 'tag' ? new Set(await addTag(trx, [...found], change.tag, at)) : undefined;
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const ticket of tickets) {
    const effect = tagged && !tagged.has(ticket.id) ? null : changeOf(ticket, change, at);
    if (!effect) {
      unchanged.push(ticket.reference);
      continue;
    }
    // The version read above is checked again as the row is written: a change made in between by
    // another process makes this one stale too, and the caller's transaction undoes everything.
    if (!(await repo.updateIfVersion(trx, ticket.id, ticket.version, { ...effect.columns, updated_at: at })))
      throw new StaleSelection([ticket.reference]);
    await repo.appendEvent(trx, ticket.id, {
      actor: `staff:${staff.id}`,
      action: effect.action,
      before: effect.before,
      after: effect.after,
      createdAt: at,
    });
    if (change.kind === 'status') await recordResolutionHours(trx, props.profile, ticket.id);
    await props.audit.record(
      {
        actor: staffActor(staff),
        action: AUDIT_ACTION[change.kind],
        subject: { type: 'ticket', id: ticket.reference },
        details: {
          ...(change.kind === 'assign' ? { assigneeId: change.assigneeId } : {}),
          ...(change.kind === 'status' ? { status: change.status } : {}),
          ...(change.kind === 'tag' ? { tag: change.tag } : {}),
          selected: selection.length,
        },
        address: props.address,
      },
      trx,
    );
    changed.push(ticket.reference);
  }
  return { changed, unchanged };
}

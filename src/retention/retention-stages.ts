import type { Db } from '../db/knex';
import { formatReference } from '../tickets/reference';
import * as repo from './retention.repository';

/** One thing a run deletes (or, in a dry run, would delete): what `retention:run` prints, a JSON line each. */
export type RetentionItem =
  | { delete: 'private_original'; id: number; ticket: string }
  | { delete: 'callback_original'; id: number; callback: number }
  | { delete: 'raw_mail'; id: number; receivedAt: string; ticket: string | null; attachments: number }
  | { delete: 'ticket'; reference: string; lastChangedAt: string };

export interface RetentionSummary {
  privateOriginals: number;
  callbackOriginals: number;
  rawMail: number;
  tickets: number;
}

/** One kind of record retention deletes: how to find a page of it, delete it, and tell about it. */
export interface Stage<Row> {
  kind: keyof RetentionSummary;
  /** The next page after `after`: the rows to delete, and where the next page starts (null: no more). */
  find(q: Db, after: number, limit: number): Promise<{ rows: Row[]; next: number | null }>;
  /** Deletes the rows; returns what went, counted, for the audit log. */
  remove(trx: Db, rows: Row[]): Promise<Record<string, number>>;
  item(row: Row): RetentionItem;
  /** The batch's references (tickets, or ids) for the audit log. */
  references(rows: Row[]): Array<string | number>;
}

const page = <R extends { id: number }>(rows: R[]) => ({ rows, next: rows.length ? rows[rows.length - 1].id : null });
const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);

/** Unmasked originals kept before `cutoff` (the masked text stays on the ticket). */
export function privateOriginalsStage(cutoff: string): Stage<repo.OriginalDue> {
  const reference = (r: repo.OriginalDue) => formatReference(r.reference_year, r.ticket_id);
  return {
    kind: 'privateOriginals',
    find: async (q, after, limit) => page(await repo.privateOriginalsBefore(q, cutoff, after, limit)),
    remove: async (trx, rows) => ({ privateOriginals: await repo.deletePrivateOriginals(trx, ids(rows)) }),
    item: (r) => ({ delete: 'private_original', id: r.id, ticket: reference(r) }),
    references: (rows) => [...new Set(rows.map(reference))],
  };
}

/** Unmasked callback topics kept before `cutoff`. */
export function callbackOriginalsStage(cutoff: string): Stage<repo.CallbackOriginalDue> {
  return {
    kind: 'callbackOriginals',
    find: async (q, after, limit) => page(await repo.callbackOriginalsBefore(q, cutoff, after, limit)),
    remove: async (trx, rows) => ({ callbackOriginals: await repo.deleteCallbackOriginals(trx, ids(rows)) }),
    item: (r) => ({ delete: 'callback_original', id: r.id, callback: r.callback_id }),
    references: (rows) => [...new Set(rows.map((r) => r.callback_id))],
  };
}

/** Raw mail received before `cutoff`, with the attachments taken from it. */
export function rawMailStage(cutoff: string): Stage<repo.RawMailDue> {
  return {
    kind: 'rawMail',
    find: async (q, after, limit) => page(await repo.rawMailBefore(q, cutoff, after, limit)),
    remove: async (trx, rows) => ({
      rawMail: await repo.deleteRawMail(trx, ids(rows)),
      attachments: rows.reduce((n, r) => n + r.attachments, 0),
    }),
    item: (r) => ({
      delete: 'raw_mail',
      id: r.id,
      receivedAt: r.received_at,
      ticket: r.ticket_id === null || r.reference_year === null ? null : formatReference(r.reference_year, r.ticket_id),
      attachments: r.attachments,
    }),
    references: ids,
  };
}

/**
 * Finished tickets unchanged since before `cutoff`, with everything that is theirs. A ticket and the
 * tickets merged with it are one record (a merge moves messages between them): deleted together, in
 * one batch, when every one of them is past its time and none is on hold, and kept together otherwise.
 */
export async function ticketsStage(db: Db, cutoff: string): Promise<Stage<repo.TicketDue>> {
  // Merge groups, by union-find over the merges (few: merged tickets are rare).
  const parent = new Map<number, number>();
  const root = (id: number): number => {
    let r = id;
    while (parent.has(r)) r = parent.get(r) as number;
    return r;
  };
  for (const link of await repo.mergeLinks(db)) {
    const [a, b] = [root(link.id), root(link.merged_into_id)];
    if (a !== b) parent.set(a, b);
  }
  const groupOf = new Map<number, number>();
  const members = new Map<number, number[]>();
  for (const id of new Set([...parent.keys(), ...parent.values()])) {
    const r = root(id);
    groupOf.set(id, r);
    members.set(r, [...(members.get(r) ?? []), id]);
  }
  const due = new Map((await repo.finishedAmong(db, [...groupOf.keys()], cutoff)).map((t) => [t.id, t]));
  const seen = new Set<number>();
  const reference = (t: repo.TicketDue) => formatReference(t.reference_year, t.id);
  return {
    kind: 'tickets',
    async find(q, after, limit) {
      const found = await repo.finishedTicketsBefore(q, cutoff, after, limit);
      const rows: repo.TicketDue[] = [];
      for (const ticket of found) {
        const group = groupOf.get(ticket.id);
        if (group === undefined) rows.push(ticket);
        else if (!seen.has(group)) {
          seen.add(group);
          const all = (members.get(group) ?? []).sort((x, y) => x - y);
          if (all.every((id) => due.has(id))) rows.push(...all.map((id) => due.get(id) as repo.TicketDue));
        }
      }
      return { rows, next: found.length ? found[found.length - 1].id : null };
    },
    async remove(trx, rows) {
      const { tickets, rawMail } = await repo.deleteTickets(trx, ids(rows));
      return { tickets, rawMailWithTickets: rawMail };
    },
    item: (t) => ({ delete: 'ticket', reference: reference(t), lastChangedAt: t.updated_at }),
    references: (rows) => rows.map(reference),
  };
}

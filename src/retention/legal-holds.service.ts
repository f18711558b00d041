import type { AuditService } from '../audit/audit.service';
import { staffActor } from '../audit/audit.service';
import type { Db } from '../db/knex';
import { NotFound } from '../errors';
import { formatReference, parseReference } from '../tickets/reference';
import * as repo from './retention.repository';

export type { LegalHold } from './retention.repository';

/** Who places or lifts a hold, and from which address. */
export interface HoldActor {
  staff: { id: number; name: string };
  address?: string;
}

/**
 * Legal holds (SPEC §12): an administrator places one on a ticket to keep it, and the tickets merged
 * with it, from retention's deletion, and lifts it when the matter is over. Each change is audited in
 * the same transaction.
 */
export function createLegalHolds(deps: { db: Db; audit: AuditService; now?: () => Date }) {
  const { db, audit } = deps;
  const now = deps.now ?? (() => new Date());

  async function ticketId(q: Db, reference: string): Promise<number> {
    const parsed = parseReference(reference);
    const ticket = parsed ? await repo.findTicket(q, parsed.id) : undefined;
    if (!ticket || formatReference(ticket.reference_year, ticket.id) !== reference.toUpperCase())
      throw new NotFound('There is no ticket with this reference.');
    return ticket.id;
  }

  async function change(reference: string, by: HoldActor, on: boolean): Promise<boolean> {
    return db.transaction(async (trx) => {
      const id = await ticketId(trx, reference);
      const changed = on
        ? await repo.insertHold(trx, { ticketId: id, setBy: `staff:${by.staff.id}`, setAt: now().toISOString() })
        : await repo.deleteHold(trx, id);
      if (changed)
        await audit.record(
          {
            actor: staffActor(by.staff),
            action: on ? 'legal_hold.set' : 'legal_hold.lifted',
            subject: { type: 'ticket', id: reference.toUpperCase() },
            address: by.address,
          },
          trx,
        );
      return changed;
    });
  }

  return {
    /** The hold on ticket `reference`, or null. */
    async holdOf(reference: string): Promise<repo.LegalHold | null> {
      const parsed = parseReference(reference);
      return (parsed && (await repo.findHold(db, parsed.id))) ?? null;
    },
    /** Places a hold; false when the ticket was on hold already (nothing recorded then). */
    place: (reference: string, by: HoldActor) => change(reference, by, true),
    /** Lifts the hold; false when there was none. */
    lift: (reference: string, by: HoldActor) => change(reference, by, false),
  };
}

export type LegalHolds = ReturnType<typeof createLegalHolds>;

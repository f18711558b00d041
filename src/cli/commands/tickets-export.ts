import { parseArgs } from 'node:util';
import { createAuditService } from '../../audit/audit.service';
import type { Db } from '../../db/knex';
import * as repo from '../../tickets/tickets.repository';
import { startProgress } from '../progress';
import { writeOutput } from '../write-output';

/**
 * `tickets:export [--since DATE] [--unmasked]`: every ticket with its messages and history, one JSON
 * object a line, oldest first, streamed in pages so a large database does not fill memory. Progress
 * goes to standard error (see ../progress.ts).
 */
export async function ticketsExport(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' }, unmasked: { type: 'boolean', default: false } } });
  if (values.since && Number.isNaN(Date.parse(values.since))) {
    process.stderr.write('--since: give a date such as 2026-11-01.\n');
    return 2;
  }
  const since = values.since ? new Date(values.since).toISOString() : undefined;
  const total = await repo.countTickets(db, { since });
  // The originals leave the database: recorded before the first line is printed (SPEC §12).
  if (values.unmasked)
    await createAuditService(db).record({
      actor: 'cli',
      action: 'tickets.exported_unmasked',
      details: { tickets: total, since: since ?? null },
    });
  const progress = startProgress({ label: 'Exporting tickets', total });
  try {
    const n = await exportAll(db, { since, unmasked: values.unmasked }, () => progress.tick());
    progress.stop(`Exported ${n.toLocaleString('en-US')} ticket${n === 1 ? '' : 's'}`);
  } finally {
    progress.stop();
  }
  return 0;
}

/** Prints the tickets, telling `exported` after each; returns how many it printed. */
async function exportAll(db: Db, options: { since?: string; unmasked: boolean }, exported: () => void): Promise<number> {
  const { since } = options;
  let lastId = 0;
  let n = 0;
  for (;;) {
    const ids = await repo.ticketIdsAfter(db, lastId, { since, limit: 500 });
    if (ids.length === 0) break;
    for (const { ticket, messages, caseNumbers, history, originals } of await repo.ticketsForExport(db, ids, options)) {
      // --unmasked (administrators): the text as the filer wrote it, before privacy masking.
      const originalBody = new Map(originals.filter((o) => o.field === 'body').map((o) => [o.messageId, o.original]));
      const subject = originals.find((o) => o.field === 'subject')?.original ?? ticket.subject;
      const line = {
        reference: ticket.reference,
        status: ticket.status,
        subject,
        requester: { name: ticket.requesterName, email: ticket.requesterEmail },
        caseNumbers,
        flags: ticket.flags,
        createdAt: ticket.createdAt,
        messages: messages.map((m) => ({
          direction: m.direction,
          internal: m.internal,
          messageId: m.messageId,
          from: m.direction === 'in' && m.author === 'requester' ? ticket.requesterEmail : 'helpdesk',
          to: m.direction === 'out' ? ticket.requesterEmail : 'helpdesk',
          subject,
          text: originalBody.get(m.id) ?? m.bodyText,
          createdAt: m.createdAt,
        })),
        history: [
          { actor: 'requester', action: 'created', createdAt: ticket.createdAt, after: { channel: ticket.channel } },
          ...history,
        ],
      };
      await writeOutput(`${JSON.stringify(line)}\n`);
      n += 1;
      exported();
    }
    lastId = ids[ids.length - 1];
  }
  return n;
}

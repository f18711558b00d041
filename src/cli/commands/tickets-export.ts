import { parseArgs } from 'node:util';
import type { Db } from '../../db/knex';
import * as repo from '../../tickets/tickets.repository';

/**
 * `tickets:export [--since DATE] [--unmasked]`: every ticket with its messages and history, one JSON
 * object a line, oldest first, streamed in pages so a large database does not fill memory.
 */
export async function ticketsExport(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' }, unmasked: { type: 'boolean', default: false } } });
  if (values.since && Number.isNaN(Date.parse(values.since))) {
    process.stderr.write('--since: give a date such as 2026-11-01.\n');
    return 2;
  }
  const since = values.since ? new Date(values.since).toISOString() : undefined;
  let lastId = 0;
  for (;;) {
    const ids = await repo.ticketIdsAfter(db, lastId, { since, limit: 500 });
    if (ids.length === 0) break;
    for (const id of ids) {
      const ticket = (await repo.findTicketById(db, id)) as NonNullable<Awaited<ReturnType<typeof repo.findTicketById>>>;
      const [messages, caseNumbers, history, originals] = await Promise.all([
        repo.listMessages(db, id, true),
        repo.listCaseNumbers(db, id),
        repo.listEvents(db, id),
        values.unmasked ? repo.listOriginals(db, id) : Promise.resolve([]),
      ]);
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
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    lastId = ids[ids.length - 1];
  }
  return 0;
}

import type { Db } from '../../db/knex';
import { ticketIdForMessageIds } from './inbound-mail.repository';
import { recordBounce, sentMessagesAmong } from './mail-bounces.repository';
import type { MessageReading } from './read-message';

/**
 * Records a delivery report against each address it names. A report counts against an address only
 * for a message we sent to that very address, found by what the report refers to: the returned
 * message's Message-ID first, then its In-Reply-To/References. Anyone can write a report naming a
 * filer's address; one that refers to nothing we sent is kept and shown to staff, and counts for
 * nothing. Returns the ticket the reported message belongs to, if any.
 */
export async function recordDeliveryReport(
  trx: Db,
  inboundMailId: number,
  reading: MessageReading,
  at: string,
): Promise<number | null> {
  if (reading.classification.kind !== 'bounce') return null;
  const refersTo = [...new Set([...reading.returnedMessageIds, ...reading.keys.messageIds])];
  const sent = await sentMessagesAmong(trx, refersTo);
  const seen = new Set<string>();
  for (const r of reading.classification.recipients) {
    const address = r.address.toLowerCase();
    // A report naming an address twice is one report about it.
    if (seen.has(address)) continue;
    seen.add(address);
    const ours = refersTo
      .map((id) => sent.find((m) => m.messageId === id && m.toAddress.toLowerCase() === address))
      .find((m) => m !== undefined);
    await recordBounce(
      trx,
      { address, inboundMailId, outboxId: ours?.id ?? null, action: r.action, status: r.status, diagnostic: r.diagnostic },
      at,
    );
  }
  return ticketIdForMessageIds(trx, refersTo);
}

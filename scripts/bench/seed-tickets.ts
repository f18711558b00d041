/**
 * Seeds a database with N realistic tickets for the queue benchmark: `tsx scripts/bench/seed-tickets.ts <sqlite-url> <n>`.
 * Uses the product's own insert path (repository, migrations, triggers), 500 tickets a transaction.
 */
import { randomBytes } from 'node:crypto';
import { migrateLatest, openDatabase } from '../../src/db/knex';
import { insertNewTickets, type NewTicketRecord } from '../../src/tickets/tickets.repository';
import { TOPICS, WORDS } from './ticket-words';

const STATUSES = ['closed', 'closed', 'closed', 'closed', 'resolved', 'resolved', 'resolved', 'open', 'waiting', 'new'];
const pick = <T>(list: T[], i: number) => list[i % list.length];

async function main(): Promise<void> {
  const [url, count] = process.argv.slice(2);
  const db = openDatabase(url);
  await migrateLatest(db);
  const total = Number(count);
  const start = Date.parse('2025-01-01T16:00:00Z');
  for (let done = 0; done < total; done += 500) {
    const records: NewTicketRecord[] = [];
    for (let i = done; i < Math.min(total, done + 500); i += 1) {
      const at = new Date(start + i * 60_000).toISOString();
      const words = Array.from({ length: 12 }, (_, k) => pick(WORDS, i * 7 + k * 3)).join(' ');
      records.push({
        referenceYear: 2025,
        channel: 'web',
        subject: `${pick(TOPICS, i)} ${i}`,
        requesterName: `Filer ${i % 997}`,
        requesterEmail: `filer${i % 997}@example.com`,
        requesterPhone: null,
        statusTokenHash: randomBytes(32).toString('hex'),
        flags: [],
        status: 'new',
        policyReasons: [],
        originals: {},
        createdAt: at,
        firstResponseDueAt: at,
        firstMessage: {
          direction: 'in',
          author: 'requester',
          messageId: null,
          bodyText: `${pick(TOPICS, i + 3)}: ${words}`,
          createdAt: at,
        },
        caseNumbers:
          i % 3 === 0
            ? [
                {
                  number: `3:24-cv-${String(i % 99999).padStart(5, '0')}`,
                  office: 3,
                  year: 24,
                  type: 'cv',
                  sequence: i % 99999,
                  judgeInitials: [],
                },
              ]
            : [],
      });
    }
    await db.transaction(async (trx) => {
      const ids = await insertNewTickets(trx, records);
      for (const [k, id] of ids.entries()) {
        const status = pick(STATUSES, done + k);
        if (status !== 'new') await trx('tickets').where({ id }).update({ status });
      }
    });
  }
  await db.destroy();
}

void main();

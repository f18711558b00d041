import type { Knex } from 'knex';
import { createTicketIntakeView, dropTicketIntakeView } from '../src/db/ticket-intake-view';
import { sanitizeEmailHtml } from '../src/mail/inbound/sanitize-email-html';

// Email HTML is kept as received and sanitised when a page shows it (tickets.repository.ts), so a
// stricter sanitiser protects every message already stored, and intake no longer cleans HTML that
// nobody may open. Messages stored before keep their cleaned copy in html_clean.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ticket_messages', (t) => {
    // Never shown as it is: read only through sanitizeEmailHtml.
    t.text('html_received');
  });
  if (knex.client.config.client !== 'sqlite3') return;
  await dropTicketIntakeView(knex);
  await createTicketIntakeView(knex, 'html_received');
}

// Rows cleaned per statement when rolling back.
const CHUNK = 500;

export async function down(knex: Knex): Promise<void> {
  const sqlite = knex.client.config.client === 'sqlite3';
  if (sqlite) await dropTicketIntakeView(knex);
  // Back to cleaning at intake: what was received since is cleaned now, so nothing is lost.
  for (let after = 0; ;) {
    const rows = (await knex('ticket_messages')
      .whereNotNull('html_received')
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .select('id', 'html_received')) as Array<{ id: number; html_received: string }>;
    if (rows.length === 0) break;
    for (const row of rows)
      await knex('ticket_messages')
        .where({ id: row.id })
        .update({ html_clean: sanitizeEmailHtml(row.html_received) });
    after = rows[rows.length - 1].id;
  }
  if (sqlite) {
    // SQLite drops the column in place. knex would rebuild the table instead, and dropping the old
    // copy deletes, by cascade, the private originals that point at its messages.
    await knex.raw('ALTER TABLE ticket_messages DROP COLUMN html_received');
    await createTicketIntakeView(knex, 'html_clean');
    return;
  }
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.dropColumn('html_received');
  });
}

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

export async function down(knex: Knex): Promise<void> {
  const sqlite = knex.client.config.client === 'sqlite3';
  if (sqlite) await dropTicketIntakeView(knex);
  // Back to cleaning at intake: what was received since is cleaned now, so nothing is lost.
  const received = (await knex('ticket_messages').whereNotNull('html_received').select('id', 'html_received')) as Array<{
    id: number;
    html_received: string;
  }>;
  for (const row of received)
    await knex('ticket_messages')
      .where({ id: row.id })
      .update({ html_clean: sanitizeEmailHtml(row.html_received) });
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.dropColumn('html_received');
  });
  if (sqlite) await createTicketIntakeView(knex, 'html_clean');
}

import type { Knex } from 'knex';
import { createTicketIntakeView, dropTicketIntakeView } from '../src/db/ticket-intake-view';

// SQLite only: see src/db/ticket-intake-view.ts. The message's email HTML went to html_clean then.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'sqlite3') return;
  await createTicketIntakeView(knex, 'html_clean');
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'sqlite3') return;
  await dropTicketIntakeView(knex);
}

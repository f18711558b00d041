import type { Knex } from 'knex';

// Each staff member chooses, on /staff/account, whether the helpdesk emails them when a filer replies
// to a ticket assigned to them, and whether it sends them a summary of their open tickets each working
// day. Both are on until they turn them off.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => {
    t.boolean('notify_filer_replies').notNullable().defaultTo(true);
    t.boolean('notify_daily_summary').notNullable().defaultTo(true);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => {
    t.dropColumn('notify_daily_summary');
    t.dropColumn('notify_filer_replies');
  });
}

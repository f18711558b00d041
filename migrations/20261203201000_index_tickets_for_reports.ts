import type { Knex } from 'knex';

// The staff reports (/staff/reports) count a year of requests at a time, by the day they arrived.
// Each index below lets one of their queries read only the requests of the chosen dates, from the
// index alone, however many years of tickets the table holds:
// - received: the figures over every request of the range (first responses, times to resolve, topic filter);
// - by channel: requests per hour of the range for each channel (and the topic filter);
// - by topic: requests per topic;
// - flagged: refusals and review flags, a small share of all requests, and outage reports by channel
//   (the reports write the same conditions, literally, so that SQLite and PostgreSQL both see that
//   these partial indexes hold every row asked for);
// - callbacks by the time they were booked.
const INDEXES: Array<[name: string, definition: string]> = [
  [
    'tickets_reports_received',
    'tickets (created_at, first_response_due_at, first_response_at, closed_at, merged_into_id, topic)',
  ],
  ['tickets_reports_channel', 'tickets (channel, created_at, topic)'],
  ['tickets_reports_topic', 'tickets (topic, created_at)'],
  ['tickets_reports_flagged', `tickets (created_at) WHERE flags <> '[]'`],
  ['tickets_reports_outage', `tickets (channel, created_at) WHERE flags LIKE '%"outage_report"%'`],
  ['callbacks_reports_created', 'callbacks (created_at)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, definition] of INDEXES) await knex.raw(`CREATE INDEX ${name} ON ${definition}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}

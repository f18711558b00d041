import type { Knex } from 'knex';

// New tickets are written table by table on both databases (tickets.repository.ts), so SQLite's
// intake view, whose trigger spread one row over four tables, goes. Rolling back creates it again as
// 20261124120000_keep_email_html_as_received left it (written out here: migrations import nothing).
const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

export async function up(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) return;
  await knex.raw('DROP TRIGGER IF EXISTS ticket_intake_insert');
  await knex.raw('DROP VIEW IF EXISTS ticket_intake');
}

const TICKET_ID = '(SELECT id FROM tickets WHERE status_token_hash = NEW.status_token_hash)';

export async function down(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) return;
  await knex.raw(`
    CREATE VIEW ticket_intake AS SELECT
      NULL AS reference_year, NULL AS status, NULL AS policy_reasons, NULL AS channel, NULL AS subject,
      NULL AS requester_name, NULL AS requester_email, NULL AS requester_phone, NULL AS status_token_hash,
      NULL AS flags, NULL AS created_at, NULL AS first_response_due_at,
      NULL AS message_direction, NULL AS message_author, NULL AS message_id, NULL AS message_body,
      NULL AS message_inbound_mail_id, NULL AS message_from_address, NULL AS message_subject, NULL AS message_html_received,
      NULL AS case_numbers, NULL AS original_subject, NULL AS original_body
    WHERE 0`);
  await knex.raw(`
    CREATE TRIGGER ticket_intake_insert INSTEAD OF INSERT ON ticket_intake BEGIN
      INSERT INTO tickets (reference_year, status, policy_reasons, channel, subject, requester_name, requester_email,
        requester_phone, status_token_hash, flags, created_at, updated_at, first_response_due_at)
      VALUES (NEW.reference_year, NEW.status, NEW.policy_reasons, NEW.channel, NEW.subject, NEW.requester_name,
        NEW.requester_email, NEW.requester_phone, NEW.status_token_hash, NEW.flags, NEW.created_at, NEW.created_at,
        NEW.first_response_due_at);
      INSERT INTO ticket_messages (ticket_id, direction, author, message_id, body_text, created_at, internal,
        author_staff_id, inbound_mail_id, from_address, subject, html_received)
      VALUES (${TICKET_ID}, NEW.message_direction, NEW.message_author, NEW.message_id, NEW.message_body, NEW.created_at,
        0, NULL, NEW.message_inbound_mail_id, NEW.message_from_address, NEW.message_subject, NEW.message_html_received);
      INSERT INTO private_originals (ticket_id, message_id, field, original, created_at)
        SELECT ${TICKET_ID}, NULL, 'subject', NEW.original_subject, NEW.created_at WHERE NEW.original_subject IS NOT NULL;
      INSERT INTO private_originals (ticket_id, message_id, field, original, created_at)
        SELECT ${TICKET_ID}, (SELECT max(id) FROM ticket_messages WHERE ticket_id = ${TICKET_ID}), 'body', NEW.original_body,
          NEW.created_at WHERE NEW.original_body IS NOT NULL;
      INSERT INTO ticket_case_numbers (ticket_id, number, office, year, type, sequence, judge_initials, defendant)
        SELECT ${TICKET_ID}, json_extract(c.value, '$.number'), json_extract(c.value, '$.office'), json_extract(c.value, '$.year'),
          json_extract(c.value, '$.type'), json_extract(c.value, '$.sequence'), json_extract(c.value, '$.judge_initials'),
          json_extract(c.value, '$.defendant')
        FROM json_each(NEW.case_numbers) AS c;
    END`);
}

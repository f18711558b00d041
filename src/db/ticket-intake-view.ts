import type { Knex } from 'knex';

// For the two old migrations that import it (20261124110000 and 20261124120000, which cannot be
// edited) and nothing else: SQLite once wrote new tickets through a view whose trigger spread a row
// over four tables. 20261203160000_drop_ticket_intake_view drops it; new tickets are now written table
// by table on both databases (tickets.repository.ts). `html` names the message column the email HTML
// went to (html_clean at first, html_received later). Old migrations must replay the same: never change this.
const TICKET_ID = '(SELECT id FROM tickets WHERE status_token_hash = NEW.status_token_hash)';

export async function createTicketIntakeView(knex: Knex, html: 'html_clean' | 'html_received'): Promise<void> {
  await knex.raw(`
    CREATE VIEW ticket_intake AS SELECT
      NULL AS reference_year, NULL AS status, NULL AS policy_reasons, NULL AS channel, NULL AS subject,
      NULL AS requester_name, NULL AS requester_email, NULL AS requester_phone, NULL AS status_token_hash,
      NULL AS flags, NULL AS created_at, NULL AS first_response_due_at,
      NULL AS message_direction, NULL AS message_author, NULL AS message_id, NULL AS message_body,
      NULL AS message_inbound_mail_id, NULL AS message_from_address, NULL AS message_subject, NULL AS message_${html},
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
        author_staff_id, inbound_mail_id, from_address, subject, ${html})
      VALUES (${TICKET_ID}, NEW.message_direction, NEW.message_author, NEW.message_id, NEW.message_body, NEW.created_at,
        0, NULL, NEW.message_inbound_mail_id, NEW.message_from_address, NEW.message_subject, NEW.message_${html});
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

export async function dropTicketIntakeView(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS ticket_intake_insert');
  await knex.raw('DROP VIEW IF EXISTS ticket_intake');
}

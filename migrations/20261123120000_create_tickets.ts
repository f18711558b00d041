import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tickets', (t) => {
    t.increments('id').primary();
    // The reference HD-2026-000123 is derived: the year here (court time at creation) and the id.
    t.integer('reference_year').notNullable();
    t.string('status', 16).notNullable().defaultTo('new');
    t.string('channel', 16).notNullable(); // web | api | email
    t.string('subject', 300).notNullable();
    t.string('requester_name', 200).notNullable();
    t.string('requester_email', 320).notNullable();
    t.string('requester_phone', 32);
    t.string('status_token_hash', 64).notNullable().unique();
    t.text('flags').notNullable().defaultTo('[]');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('closed_at', 30);
    t.index(['status', 'id']);
    t.index(['updated_at']);
  });
  await knex.schema.createTable('ticket_messages', (t) => {
    t.increments('id').primary();
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('direction', 3).notNullable(); // in | out
    t.string('author', 16).notNullable(); // requester | staff | system
    t.string('message_id', 400);
    t.text('body_text').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['ticket_id', 'id']);
  });
  await knex.schema.createTable('ticket_case_numbers', (t) => {
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('number', 40).notNullable();
    t.integer('office');
    t.integer('year');
    t.string('type', 8);
    t.integer('sequence').notNullable();
    t.string('judge_initials', 100).notNullable().defaultTo('[]');
    t.integer('defendant');
    t.primary(['ticket_id', 'number']);
    t.index(['number']);
  });
  await knex.schema.createTable('ticket_events', (t) => {
    t.increments('id').primary();
    t.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    t.string('actor', 200).notNullable(); // requester | system | staff:<id>
    t.string('action', 40).notNullable();
    t.text('before');
    t.text('after');
    t.string('created_at', 30).notNullable();
    t.index(['ticket_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_events');
  await knex.schema.dropTable('ticket_case_numbers');
  await knex.schema.dropTable('ticket_messages');
  await knex.schema.dropTable('tickets');
}

import type { Knex } from 'knex';

// Two-step sign-in (TOTP and recovery codes) and single sign-on (OpenID Connect).
//
// A session is half signed in between the password and the second step: `second_step_done` false.
// Such a session opens no staff page; only the second step or the enrolment. Sessions that exist
// when this runs were opened with a password alone, so they end: everyone signs in once more.
export async function up(knex: Knex): Promise<void> {
  await knex('staff_sessions').delete();
  await knex.schema.alterTable('staff_sessions', (t) => {
    t.boolean('second_step_done').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('staff_totp', (t) => {
    t.integer('user_id').primary().references('id').inTable('staff_users').onDelete('CASCADE');
    t.string('secret_encrypted', 300).notNullable(); // AES-256-GCM, key derived from SESSION_SECRET
    t.string('confirmed_at', 30); // null while enrolment waits for its first code
    t.integer('last_time_step'); // the newest 30-second step whose code was accepted: older codes are refused
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('staff_recovery_codes', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('staff_users').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable(); // SHA-256 of an 80-bit random code
    t.string('created_at', 30).notNullable();
    t.string('used_at', 30);
    t.unique(['user_id', 'code_hash']);
  });
  await knex.schema.createTable('oidc_sign_in_attempts', (t) => {
    t.string('state_hash', 64).primary(); // SHA-256 of the state sent to the provider
    t.string('code_verifier', 200).notNullable(); // PKCE
    t.string('nonce', 200).notNullable();
    t.string('redirect_uri', 1000).notNullable();
    t.string('next', 500).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_sign_in_attempts');
  await knex.schema.dropTable('staff_recovery_codes');
  await knex.schema.dropTable('staff_totp');
  await knex.schema.alterTable('staff_sessions', (t) => {
    t.dropColumn('second_step_done');
  });
}

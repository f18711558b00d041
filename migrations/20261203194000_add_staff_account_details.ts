import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

const REFUSAL = 'last_active_admin: at least one active administrator must remain';

/**
 * Staff account pages: where a session was opened from, a temporary password an administrator set,
 * and the rule that the helpdesk always keeps an active administrator, held by the database itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_sessions', (t) => {
    t.string('address', 64); // the address the session signed in from, as the server saw it
  });
  await knex.schema.alterTable('staff_users', (t) => {
    t.boolean('password_temporary').notNullable().defaultTo(false);
  });

  // Demoting or disabling an active administrator is refused when no other active one remains.
  if (isSqlite(knex)) {
    // An AFTER trigger sees the table as changed; SQLite runs one writer at a time.
    await knex.raw(`
      CREATE TRIGGER staff_users_keep_an_admin AFTER UPDATE OF role, disabled_at ON staff_users
      FOR EACH ROW
      WHEN OLD.role = 'admin' AND OLD.disabled_at IS NULL AND (NEW.role <> 'admin' OR NEW.disabled_at IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL)
      BEGIN
        SELECT RAISE(ABORT, '${REFUSAL}');
      END`);
  } else {
    // The lock makes such changes one at a time, so two administrators demoting each other at the same
    // moment cannot both succeed; the check after it reads what the other committed (READ COMMITTED).
    await knex.raw(`
      CREATE FUNCTION staff_users_keep_an_admin() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('staff_users_keep_an_admin'));
        IF NOT EXISTS (SELECT 1 FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL) THEN
          RAISE EXCEPTION '${REFUSAL}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER staff_users_keep_an_admin AFTER UPDATE OF role, disabled_at ON staff_users
      FOR EACH ROW
      WHEN (OLD.role = 'admin' AND OLD.disabled_at IS NULL AND (NEW.role <> 'admin' OR NEW.disabled_at IS NOT NULL))
      EXECUTE FUNCTION staff_users_keep_an_admin()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS staff_users_keep_an_admin' + (isSqlite(knex) ? '' : ' ON staff_users'));
  if (!isSqlite(knex)) await knex.raw('DROP FUNCTION IF EXISTS staff_users_keep_an_admin()');
  await knex.schema.alterTable('staff_users', (t) => {
    t.dropColumn('password_temporary');
  });
  await knex.schema.alterTable('staff_sessions', (t) => {
    t.dropColumn('address');
  });
}

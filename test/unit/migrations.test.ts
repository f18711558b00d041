import assert from 'node:assert/strict';
import { migrateLatest, migrateRollback, migrationConfig } from '../../src/db/knex';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, signedInAgent } from '../helpers/factories';
import { testDatabase } from '../helpers/postgres';

describe('migrations', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  const latestBatch = async () => Number(((await t.db('knex_migrations').max({ b: 'batch' })) as Array<{ b: number }>)[0].b);

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of ['tickets', 'ticket_messages', 'private_originals', 'ticket_case_numbers'])
      out[table] = Number(((await t.db(table).count({ n: '*' })) as Array<{ n: number }>)[0].n);
    return out;
  };

  /** Rolls back one batch at a time until the mail migration is undone, with a masked request stored before. */
  async function rollBackPastTheMailMigration(): Promise<Record<string, number>> {
    // One batch per migration, so that db:rollback undoes them one at a time.
    await migrateRollback(t.db, true);
    while ((((await t.db.migrate.up(migrationConfig)) as [number, string[]])[1] ?? []).length > 0);
    // A masked request: its unmasked original points at its first message.
    await t.services.tickets.create(
      {
        name: 'Pat Filer',
        email: 'pat@example.com',
        subject: 'Upload',
        body: 'My SSN is 123-45-6789 and the upload fails.',
        caseNumber: '3:24-cv-01234',
      },
      'web',
    );
    const before = await counts();
    assert.deepEqual(before, { tickets: 1, ticket_messages: 1, private_originals: 1, ticket_case_numbers: 1 });
    // Back past the migration that added the mail columns to ticket_messages (knex rebuilds the table to drop them on SQLite).
    for (;;) {
      const [, undone] = await migrateRollback(t.db);
      assert.ok(undone.length > 0, 'the mail migration was found');
      if (undone.some((name) => name.endsWith('_create_mail'))) break;
    }
    return before;
  }

  it('roll back, one batch at a time, and apply again without deleting the rows of the tables they change', async () => {
    const before = await rollBackPastTheMailMigration();
    assert.deepEqual(await counts(), before);
    const [, applied] = await migrateLatest(t.db);
    assert.ok(applied.length > 0);
    assert.deepEqual(await counts(), before);
    assert.deepEqual(await migrateLatest(t.db), [await latestBatch(), []], 'nothing left to do');
  });

  it('indexes for search the tickets stored before search followed writes, and every write after', async () => {
    for (;;) {
      const [, undone] = (await t.db.migrate.down(migrationConfig)) as [number, string[]];
      assert.ok(undone.length > 0, 'the search migration was found');
      if (undone.includes('20261203160100_index_ticket_search_by_triggers')) break;
    }
    // Stored as the schema of that time holds it: today's intake writes columns added since.
    const at = new Date().toISOString();
    const [{ id }] = (await t
      .db('tickets')
      .insert({
        reference_year: 2026,
        channel: 'web',
        subject: 'Upload problem',
        requester_name: 'Ada Filer',
        requester_email: 'ada@example.com',
        status_token_hash: 'f'.repeat(64),
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as Array<{ id: number }>;
    await t
      .db('ticket_messages')
      .insert({ ticket_id: id, direction: 'in', author: 'requester', body_text: 'The exhibit PDF is rejected.', created_at: at });
    const before = { ticket: { reference: `HD-2026-${String(id).padStart(6, '0')}` } };
    await migrateLatest(t.db);
    const after = await buildTicket(t, { subject: 'Password reset', body: 'Locked out after the reset.' });
    const agent = await signedInAgent(t, await buildStaff(t));
    const found = async (q: string) =>
      [...(await agent.get('/staff').query({ q }).expect(200)).text.matchAll(/href="\/staff\/tickets\/(HD-\d{4}-\d{6})"/g)].map(
        (m) => m[1],
      );
    assert.deepEqual(await found('exhibit rejected'), [before.ticket.reference]);
    assert.deepEqual(await found('locked'), [after.ticket.reference]);
  });

  // SQLite only: knex rebuilds an SQLite table to change it, so foreign keys are turned off around the
  // migrations (src/db/knex.ts); PostgreSQL alters tables in place and never turns them off.
  if (testDatabase === 'sqlite')
    describe('on SQLite, with foreign keys off while tables are rebuilt', () => {
      it('turns foreign keys on again and leaves no row pointing at nothing', async () => {
        await rollBackPastTheMailMigration();
        await migrateLatest(t.db);
        assert.deepEqual(await t.db.raw('PRAGMA foreign_key_check'), []);
        assert.deepEqual(await t.db.raw('PRAGMA foreign_keys'), [{ foreign_keys: 1 }], 'foreign keys are on again');
      });

      it('does not blame a migration for a row that pointed at nothing before it ran', async () => {
        await t.db.migrate.down(migrationConfig);
        await t.db.raw('PRAGMA foreign_keys = OFF');
        await t
          .db('ticket_events')
          .insert({ ticket_id: 999, actor: 'system', action: 'created', created_at: '2026-11-23T00:00:00Z' });
        await t.db.raw('PRAGMA foreign_keys = ON');
        const [, applied] = await migrateLatest(t.db);
        assert.equal(applied.length, 1);
        assert.deepEqual(await migrateLatest(t.db), [await latestBatch(), []], 'nothing left to do, nothing checked');
      });
    });
});

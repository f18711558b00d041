import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditService } from '../../src/audit/audit.service';
import { openDatabase, type Db } from '../../src/db/knex';
import { createTestDatabase, testDatabase, type TestDatabase } from '../helpers/postgres';

describe('audit_log is append-only, held by the database itself', () => {
  let dir: string;
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    database = await createTestDatabase(dir);
    db = openDatabase(database.url);
    const audit = createAuditService(db);
    await audit.record({
      actor: 'cli',
      action: 'staff.added',
      subject: { type: 'staff_user', id: 1 },
      details: { role: 'admin' },
    });
    await audit.record({ actor: 'system', action: 'retention.run', details: { tickets: 0 } });
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statements = [
    ['an UPDATE of one row', "UPDATE audit_log SET actor = 'anonymous' WHERE id = 1"],
    ['an UPDATE of every row', "UPDATE audit_log SET details = '{}'"],
    ['a DELETE of one row', 'DELETE FROM audit_log WHERE id = 1'],
    ['a DELETE of every row', 'DELETE FROM audit_log'],
    ...(testDatabase === 'postgres'
      ? [
          ['an UPDATE that matches no row', "UPDATE audit_log SET actor = 'anonymous' WHERE id = -1"],
          ['TRUNCATE', 'TRUNCATE audit_log'],
        ]
      : []),
  ];
  for (const [what, sql] of statements)
    it(`refuses ${what} with a database error, and the entries stay as they were`, async () => {
      const before = await db('audit_log').orderBy('id');
      await assert.rejects(db.raw(sql), /audit_log is append-only/);
      assert.deepEqual(await db('audit_log').orderBy('id'), before);
    });

  it('refuses the change inside a transaction too, undoing what the transaction did', async () => {
    await assert.rejects(
      db.transaction(async (trx) => {
        await createAuditService(trx).record({ actor: 'cli', action: 'staff.disabled' });
        await trx('audit_log').where({ action: 'staff.added' }).delete();
      }),
      /audit_log is append-only/,
    );
    assert.deepEqual(await db('audit_log').orderBy('id').pluck('action'), ['staff.added', 'retention.run']);
  });

  it('takes new entries', async () => {
    await createAuditService(db).record({ actor: 'anonymous', action: 'sign_in.password.failed', address: '192.0.2.7' });
    assert.equal((await db('audit_log').count({ n: '*' }))[0].n, 3);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ticketInput } from '../helpers/factories';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'bin', 'helpdesk');

describe('npx helpdesk tickets:export', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const exportLines = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [CLI, 'tickets:export', ...args], {
      env: { ...process.env, DATABASE_URL: t.config.env.DATABASE_URL, SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' },
    });
    return stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  };

  it('prints every ticket with messages and history as JSON lines, masked unless --unmasked', async () => {
    await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ subject: 'Fee charged twice', body: 'My SSN is 123-45-6789. Case 3:20-cv-01234-JST.' }))
      .expect(201);
    await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ subject: 'For the judge', body: 'Please forward this letter to Judge Chen.' }))
      .expect(422);
    const lines = await exportLines();
    assert.equal(lines.length, 2);
    const [first, second] = lines;
    assert.deepEqual(Object.keys(first).sort(), [
      'caseNumbers',
      'createdAt',
      'flags',
      'history',
      'messages',
      'reference',
      'requester',
      'status',
      'subject',
    ]);
    assert.equal(first.caseNumbers[0].number, '3:20-cv-01234');
    assert.deepEqual(first.requester, { name: 'Pat Filer', email: 'pat.filer@example.com' });
    assert.ok(first.flags.includes('privacy_redacted'));
    assert.doesNotMatch(first.messages[0].text, /123-45-6789/);
    assert.equal(first.messages[0].direction, 'in');
    assert.equal(second.status, 'rejected');
    assert.ok(second.flags.includes('judge_contact'));
    assert.equal(second.history[0].action, 'created');
    const unmasked = await exportLines('--unmasked');
    assert.match(unmasked[0].messages[0].text, /123-45-6789/);
    assert.equal((await exportLines('--since', '2999-01-01')).length, 0);
  });

  it('refuses a --since that is not a date', async () => {
    await assert.rejects(
      exportLines('--since', 'last week'),
      (error: { code: number; stderr: string }) => error.code === 2 && /--since/.test(error.stderr),
    );
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { recordCorrection } from '../../src/policy/triage-corrections.repository';
import type { StaffUser } from '../../src/staff/staff.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildReviewTicket, buildStaff } from '../helpers/factories';

const ROOT = path.join(__dirname, '..', '..');

describe('helpdesk triage:feedback', function () {
  this.timeout(60_000);
  let t: TestApp;
  let clock: Date;

  const helpdesk = (args: string[]) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.config.env.DATABASE_URL, LOG_LEVEL: 'silent' },
      timeout: 30_000,
    });
    return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };
  const lines = (stdout: string) =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  before(async () => {
    clock = new Date('2026-12-01T18:00:00.000Z');
    t = await buildTestApp({ now: () => clock });
    const staff = await buildStaff(t, { name: 'Sam Agent', email: 'sam.agent@court.example' });
    const user = (await t.services.auth.findUser(staff.id)) as StaffUser;
    const declined = await buildReviewTicket(t, { subject: 'Motion or answer?', body: 'Should I file a motion to dismiss?' });
    await t.services.work.decline(declined.ticket.reference, user, declined.ticket.version, 'legal_advice');
    clock = new Date('2026-12-05T18:00:00.000Z');
    const dismissed = await buildReviewTicket(t, { subject: 'Judge initials', body: 'The judge initials on my NEF look wrong.' });
    await t.services.work.dismissReview(dismissed.ticket.reference, user, dismissed.ticket.version);
    // Text stored before the masker knew a pattern is masked again on the way out.
    await recordCorrection(t.db, {
      ticketId: dismissed.ticket.id,
      subject: 'Account 123-45-6789',
      body: 'My SSN is 123-45-6789 and the upload fails.',
      label: 'accept',
      guardOutcome: 'review',
      staffUserId: staff.id,
      createdAt: '2026-12-06T09:30:00.000Z',
    });
  });
  after(() => t.close());

  it('prints each staff correction as a JSON line: subject, body, label, who and when', () => {
    const run = helpdesk(['triage:feedback']);
    assert.equal(run.status, 0, run.stderr);
    const rows = lines(run.stdout);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], {
      subject: 'Motion or answer?',
      body: 'Should I file a motion to dismiss?',
      label: 'legal_advice',
      by: 'sam.agent@court.example',
      at: '2026-12-01T18:00:00.000Z',
    });
    assert.deepEqual(
      rows.map((r) => [r.label, r.at]),
      [
        ['legal_advice', '2026-12-01T18:00:00.000Z'],
        ['accept', '2026-12-05T18:00:00.000Z'],
        ['accept', '2026-12-06T09:30:00.000Z'],
      ],
    );
  });

  it('masks private numbers again', () => {
    const run = helpdesk(['triage:feedback']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.stdout.includes('123-45-6789'), run.stdout);
    const last = lines(run.stdout)[2];
    assert.match(String(last.body), /^My SSN is .*6789 and the upload fails\.$/);
    assert.match(String(last.subject), /6789/);
  });

  it('prints only corrections made since a date or an instant', () => {
    const byDate = helpdesk(['triage:feedback', '--since', '2026-12-05']);
    assert.equal(byDate.status, 0, byDate.stderr);
    assert.deepEqual(
      lines(byDate.stdout).map((r) => r.at),
      ['2026-12-05T18:00:00.000Z', '2026-12-06T09:30:00.000Z'],
    );
    const byInstant = helpdesk(['triage:feedback', '--since', '2026-12-06T00:00:00Z']);
    assert.equal(byInstant.status, 0, byInstant.stderr);
    assert.deepEqual(
      lines(byInstant.stdout).map((r) => r.at),
      ['2026-12-06T09:30:00.000Z'],
    );
    const none = helpdesk(['triage:feedback', '--since', '2027-01-01']);
    assert.equal(none.status, 0, none.stderr);
    assert.equal(none.stdout, '');
  });

  it('refuses a date it cannot read, with exit code 2 and nothing printed', () => {
    for (const since of ['yesterday', '2026-13-45', '12/05/2026', '']) {
      const run = helpdesk(['triage:feedback', '--since', since]);
      assert.equal(run.status, 2, `--since ${since}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^--since: give a date such as 2026-11-01/);
    }
  });

  it('is listed by --help', () => {
    const help = helpdesk(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^ {2}triage:feedback /m);
  });
});

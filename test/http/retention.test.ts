import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCourtProfile } from '../../src/config/court-profile';
import { runJob } from '../../src/jobs/job-runner';
import { createRetentionService, type RetentionItem, type RetentionPeriods } from '../../src/retention/retention.service';
import { findUser, type StaffUser } from '../../src/staff/staff.repository';
import { formatReference } from '../../src/tickets/reference';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';
import { testDatabase } from '../helpers/postgres';

const DAY = 86_400_000;
const KEEP: RetentionPeriods = { closedTicketDays: null, privateOriginalDays: null, rawMailDays: null };

describe('retention deletes what is past its time, in batches, except what a legal hold keeps', function () {
  let t: TestApp;
  let staff: StaffUser;

  beforeEach(async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
    staff = (await findUser(t.db, (await buildStaff(t, { role: 'admin' })).id)) as StaffUser;
  });
  afterEach(() => t.close());

  const retention = (periods: Partial<RetentionPeriods>) =>
    createRetentionService({ db: t.db, periods: { ...KEEP, ...periods }, audit: t.services.audit });
  const later = (days: number) => new Date(Date.now() + days * DAY);
  const count = async (table: string, where: Record<string, unknown>) =>
    Number(((await t.db(table).where(where).count({ n: '*' })) as Array<{ n: number }>)[0].n);

  /** A request by email, with a private number, a case number and an attachment. */
  async function mailedTicket(subject: string) {
    const raw = await rawMail({
      subject,
      text: `My SSN is 123-45-6789. Case 3:24-cv-01234-JST. The upload of ${subject} fails.`,
      attachments: [{ filename: 'notice.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' }],
    });
    const ids = await t.services.mail.intake.store([{ raw, source: 'import' }]);
    const [outcome] = await t.services.mail.intake.processPending(ids);
    const row = await t
      .db('tickets')
      .where({ id: (outcome as { ticketId: number }).ticketId })
      .first();
    return { id: row.id as number, reference: formatReference(row.reference_year, row.id), mailId: ids[0] };
  }
  const version = async (reference: string) => (await t.services.work.ticketByReference(reference)).version;
  const close = async (reference: string) => t.services.work.setStatus(reference, staff, await version(reference), 'closed');
  const hold = (reference: string) => t.services.legalHolds.place(reference, { staff });
  const merge = async (from: string, into: string) => t.services.work.merge(from, staff, await version(from), into);
  const searchEntries = async (id: number) =>
    testDatabase === 'sqlite'
      ? (await t.db.raw('SELECT rowid FROM ticket_search WHERE rowid = ?', [id])).length
      : (await t.db.raw('SELECT ticket_id FROM ticket_search WHERE ticket_id = ?', [id])).rows.length;

  it('deletes a finished ticket with everything that is its own and nothing else; a held ticket and an open one stay', async () => {
    const gone = await mailedTicket('Exhibit A');
    await t.services.work.claim(gone.reference, staff, await version(gone.reference));
    await close(gone.reference);
    const start = later(2).toISOString();
    await t.db('callbacks').insert({
      slot_start: start,
      slot_end: start,
      seat: 1,
      name: 'Pat Filer',
      phone: '+12065550142',
      email: 'pat.filer@example.com',
      ticket_id: gone.id,
      manage_token_hash: 'b'.repeat(64),
      created_at: start,
      updated_at: start,
    });
    const held = await mailedTicket('Exhibit B');
    await close(held.reference);
    await hold(held.reference);
    const open = await mailedTicket('Exhibit C');
    for (const ticket of [gone, held, open]) {
      assert.equal(await count('private_originals', { ticket_id: ticket.id }), 1);
      assert.equal(await count('mail_attachments', { ticket_id: ticket.id }), 1);
      assert.equal(await count('ticket_case_numbers', { ticket_id: ticket.id }), 1);
      assert.equal(await searchEntries(ticket.id), 1);
    }
    const before = {
      held: await t.db('ticket_messages').where({ ticket_id: held.id }).orderBy('id'),
      open: await t.db('ticket_messages').where({ ticket_id: open.id }).orderBy('id'),
    };

    const items: RetentionItem[] = [];
    const run = await retention({ closedTicketDays: 365 }).run({
      actor: 'cli',
      now: later(400),
      onItem: (i) => void items.push(i),
    });

    assert.deepEqual(run.summary, { privateOriginals: 0, callbackOriginals: 0, rawMail: 0, tickets: 1 });
    assert.deepEqual(
      items.map((i) => i.delete === 'ticket' && i.reference),
      [gone.reference],
    );
    assert.equal(await count('tickets', { id: gone.id }), 0);
    for (const table of [
      'ticket_messages',
      'ticket_case_numbers',
      'ticket_events',
      'private_originals',
      'mail_attachments',
      'ticket_viewers',
    ])
      assert.equal(await count(table, { ticket_id: gone.id }), 0, `${table} of the deleted ticket`);
    assert.equal(await count('inbound_mail', { id: gone.mailId }), 0, 'its raw mail');
    assert.equal(await searchEntries(gone.id), 0, 'its search entry');
    const [callback] = await t.db('callbacks');
    assert.equal(callback.ticket_id, null, 'the callback is kept, no longer linked');

    for (const ticket of [held, open]) {
      assert.equal(await count('tickets', { id: ticket.id }), 1);
      assert.equal(await count('inbound_mail', { id: ticket.mailId }), 1);
      assert.equal(await count('private_originals', { ticket_id: ticket.id }), 1);
      assert.equal(await count('mail_attachments', { ticket_id: ticket.id }), 1);
      assert.equal(await searchEntries(ticket.id), 1);
    }
    assert.deepEqual(await t.db('ticket_messages').where({ ticket_id: held.id }).orderBy('id'), before.held);
    assert.deepEqual(await t.db('ticket_messages').where({ ticket_id: open.id }).orderBy('id'), before.open);

    const [batch] = await t.db('audit_log').where({ action: 'retention.deleted' });
    assert.equal(batch.actor, 'cli');
    assert.deepEqual(JSON.parse(batch.details), {
      kind: 'tickets',
      tickets: 1,
      rawMailWithTickets: 1,
      references: [gone.reference],
    });
    const [summary] = await t.db('audit_log').where({ action: 'retention.run' });
    assert.equal(JSON.parse(summary.details).tickets, 1);
    assert.ok(!JSON.stringify(await t.db('audit_log')).includes('123-45-6789'));
  });

  it('keeps a merged ticket with the ticket it went into: deleted together, or kept together', async () => {
    const ids = [];
    for (let i = 0; i < 6; i += 1) ids.push((await buildTicket(t, { subject: `Duplicate ${i}` })).ticket.reference);
    const [fromDone, intoDone, fromOpen, intoOpen, fromHeld, intoHeld] = ids;
    // Merged the other way round too (a newer ticket into an older one), so a group spans pages.
    await merge(intoDone, fromDone);
    await close(fromDone);
    await merge(fromOpen, intoOpen);
    await merge(fromHeld, intoHeld);
    await close(intoHeld);
    await hold(fromHeld);

    const dry: RetentionItem[] = [];
    await retention({ closedTicketDays: 30 }).run({
      actor: 'cli',
      dryRun: true,
      batchSize: 1,
      now: later(60),
      onItem: (i) => void dry.push(i),
    });
    const real: RetentionItem[] = [];
    await retention({ closedTicketDays: 30 }).run({
      actor: 'cli',
      batchSize: 1,
      now: later(60),
      onItem: (i) => void real.push(i),
    });
    assert.deepEqual(real, dry);
    assert.deepEqual(real.map((i) => i.delete === 'ticket' && i.reference).sort(), [fromDone, intoDone].sort());
    const left = (await t.db('tickets').orderBy('id')).map((r) => formatReference(r.reference_year, r.id));
    assert.deepEqual(left, [fromOpen, intoOpen, fromHeld, intoHeld]);
  });

  it('deletes in batches, each its own transaction with its own audit entry, and a dry run lists exactly what the real run deletes', async () => {
    const references: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { ticket } = await buildTicket(t, { subject: `Finished ${i}`, body: `My SSN is 123-45-678${i}. I cannot upload.` });
      await close(ticket.reference);
      references.push(ticket.reference);
    }
    const { ticket: active } = await buildTicket(t, { body: 'My SSN is 987-65-4321. The login fails.' });
    const periods = { closedTicketDays: 10, privateOriginalDays: 5 };

    const listed: RetentionItem[] = [];
    const dry = await retention(periods).run({
      actor: 'cli',
      dryRun: true,
      batchSize: 2,
      now: later(20),
      onItem: (i) => void listed.push(i),
    });
    assert.equal(await count('audit_log', { action: 'retention.deleted' }), 0, 'a dry run records nothing');
    assert.equal(await count('tickets', {}), 6, 'and deletes nothing');

    const deleted: RetentionItem[] = [];
    const real = await retention(periods).run({
      actor: 'cli',
      batchSize: 2,
      now: later(20),
      onItem: (i) => void deleted.push(i),
    });
    assert.deepEqual(deleted, listed);
    assert.deepEqual(real.summary, dry.summary);
    assert.deepEqual(real.summary, { privateOriginals: 6, callbackOriginals: 0, rawMail: 0, tickets: 5 });

    const batches = (await t.db('audit_log').where({ action: 'retention.deleted' }).orderBy('id')).map((r) =>
      JSON.parse(r.details),
    );
    assert.deepEqual(
      batches.filter((b) => b.kind === 'tickets').map((b) => b.references),
      [references.slice(0, 2), references.slice(2, 4), references.slice(4)],
    );
    assert.deepEqual(
      batches.filter((b) => b.kind === 'privateOriginals').map((b) => b.privateOriginals),
      [2, 2, 2],
    );
    // The active ticket keeps its masked text; only the original went.
    const [message] = await t.db('ticket_messages').where({ ticket_id: active.id });
    assert.match(message.body_text, /XXX-XX-4321/);
    assert.equal(await count('private_originals', {}), 0);
  });

  it('deletes old raw mail (with its attachments) and old originals, except those of a held ticket; the messages stay', async () => {
    const kept = await mailedTicket('Held matter');
    await hold(kept.reference);
    const open = await mailedTicket('Open matter');
    const periods = { privateOriginalDays: 30, rawMailDays: 60 };
    const dry: RetentionItem[] = [];
    await retention(periods).run({ actor: 'system', dryRun: true, now: later(90), onItem: (i) => void dry.push(i) });
    const real: RetentionItem[] = [];
    const run = await retention(periods).run({ actor: 'system', now: later(90), onItem: (i) => void real.push(i) });
    assert.deepEqual(real, dry);
    assert.deepEqual(run.summary, { privateOriginals: 1, callbackOriginals: 0, rawMail: 1, tickets: 0 });
    const { receivedAt, ...rawItem } = real.find((i) => i.delete === 'raw_mail') as RetentionItem & { receivedAt: string };
    assert.deepEqual(rawItem, { delete: 'raw_mail', id: open.mailId, ticket: open.reference, attachments: 1 });
    assert.ok(Date.parse(receivedAt) <= Date.now());
    assert.equal(await count('inbound_mail', { id: open.mailId }), 0);
    assert.equal(await count('mail_attachments', { ticket_id: open.id }), 0);
    assert.equal(await count('private_originals', { ticket_id: open.id }), 0);
    const [message] = await t.db('ticket_messages').where({ ticket_id: open.id });
    assert.equal(message.inbound_mail_id, null);
    assert.match(message.body_text, /XXX-XX-6789/);
    assert.equal(await count('inbound_mail', { id: kept.mailId }), 1);
    assert.equal(await count('private_originals', { ticket_id: kept.id }), 1);

    // Nothing is past its time any more: the next run finds nothing.
    assert.deepEqual((await retention(periods).run({ actor: 'system', now: later(90) })).summary, {
      privateOriginals: 0,
      callbackOriginals: 0,
      rawMail: 0,
      tickets: 0,
    });
  });

  it('runs as a daily job under the job lease, and does nothing while the profile keeps everything', async () => {
    const deps = { db: t.db, config: t.config, services: t.services };
    const kept = await runJob(deps, 'retention', later(400));
    assert.deepEqual(kept, { job: 'retention', status: 'ran', result: { skipped: 'the court profile keeps everything' } });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    const profile = path.join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ retention: { closedTicketDays: 30, privateOriginalDays: null, rawMailDays: null } }));
    const app = await buildTestApp({ env: { COURT_PROFILE: profile } });
    try {
      const admin = (await findUser(app.db, (await buildStaff(app, { role: 'admin' })).id)) as StaffUser;
      const { ticket } = await buildTicket(app);
      await app.services.work.setStatus(ticket.reference, admin, ticket.version, 'closed');
      const appDeps = { db: app.db, config: app.config, services: app.services };
      const ran = await runJob(appDeps, 'retention', later(40));
      assert.deepEqual(ran, {
        job: 'retention',
        status: 'ran',
        result: { privateOriginals: 0, callbackOriginals: 0, rawMail: 0, tickets: 1 },
      });
      assert.equal((await runJob(appDeps, 'retention', later(40))).status, 'skipped', 'the lease is held for the day');
      const [entry] = await app.db('audit_log').where({ action: 'retention.run' });
      assert.equal(entry.actor, 'system');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the court profile retention periods', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'retention-profile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const profile = (retention: unknown) => {
    const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ retention }));
    return file;
  };

  it('keeps everything for ever by default', () => {
    assert.deepEqual(loadCourtProfile().retention, KEEP);
    assert.deepEqual(loadCourtProfile(profile({ rawMailDays: 365 })).retention, { ...KEEP, rawMailDays: 365 });
  });

  for (const [key, value] of [
    ['closedTicketDays', -1],
    ['privateOriginalDays', 0],
    ['rawMailDays', 1.5],
    ['rawMailDays', '90'],
  ] as const)
    it(`refuses ${key}: ${JSON.stringify(value)} with a message naming the key`, () => {
      assert.throws(
        () => loadCourtProfile(profile({ [key]: value })),
        (error: Error) => error.message.includes(`retention.${key}:`) && /whole number of days|1 day or more/.test(error.message),
      );
    });

  it('refuses a key it does not know', () => {
    assert.throws(() => loadCourtProfile(profile({ closedTicketsDays: 30 })), /retention/);
  });
});

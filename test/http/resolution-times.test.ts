import assert from 'node:assert/strict';
import { runJob } from '../../src/jobs/job-runner';
import { findUser, type StaffUser } from '../../src/staff/staff.repository';
import { applyBulkChange } from '../../src/tickets/bulk-change';
import { appendEvent } from '../../src/tickets/tickets.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, ticketInput } from '../helpers/factories';

// Helpdesk hours of the test profile: 09:00 to 16:00 Pacific, Monday to Friday (7-hour days).
const WEDNESDAY_9AM = new Date('2027-03-10T17:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(WEDNESDAY_9AM.getTime() + hours * HOUR);

describe('the time to resolve each ticket, stored for the reports', () => {
  let t: TestApp;
  let clock: Date;
  let staff: StaffUser;
  beforeEach(async () => {
    clock = WEDNESDAY_9AM;
    t = await buildTestApp({ now: () => clock });
    staff = (await findUser(t.db, (await buildStaff(t, { role: 'supervisor' })).id)) as StaffUser;
  });
  afterEach(() => t.close());

  const create = (subject = 'Cannot log in to CM/ECF') => t.services.tickets.create(ticketInput({ subject }), 'web');
  const stored = async (id: number) => (await t.db('tickets').where({ id }).first()).resolution_business_hours as number | null;
  const version = async (reference: string) => (await t.services.work.ticketByReference(reference)).version;

  it('counts business hours while staff have the next move, not while the filer is asked, and clears them on reopening', async () => {
    const { ticket, statusToken } = await create();
    clock = at(2);
    await t.services.work.reply(ticket.reference, staff, await version(ticket.reference), 'Does this help?');
    clock = at(26); // Thursday 11:00: a day of waiting for the filer does not count
    await t.services.tickets.replyAsRequester(statusToken, 'Not yet, sorry.');
    clock = at(28); // Thursday 13:00
    await t.services.work.setStatus(ticket.reference, staff, await version(ticket.reference), 'resolved');
    assert.equal(await stored(ticket.id), 4);

    // The filer writes again: not resolved any more.
    clock = at(29);
    await t.services.tickets.replyAsRequester(statusToken, 'It broke again.');
    assert.equal(await stored(ticket.id), null);
    // The filer says it is solved: two more hours of work counted.
    clock = at(31);
    await t.services.tickets.closeByRequester(statusToken);
    assert.equal(await stored(ticket.id), 6);
  });

  it('stores it for tickets resolved together from the queue, and not for a merged duplicate', async () => {
    const first = await create('First');
    const second = await create('Second');
    const duplicate = await create('Duplicate');
    clock = at(3);
    await t.services.work.setStatus(duplicate.ticket.reference, staff, await version(duplicate.ticket.reference), 'resolved');
    assert.equal(await stored(duplicate.ticket.id), 3);
    await t.services.work.merge(
      duplicate.ticket.reference,
      staff,
      await version(duplicate.ticket.reference),
      first.ticket.reference,
    );
    assert.equal(await stored(duplicate.ticket.id), null, 'a duplicate is not resolved');

    clock = at(5);
    const selection = await Promise.all(
      [first, second].map(async ({ ticket }) => ({ id: ticket.id, version: await version(ticket.reference) })),
    );
    await t.db.transaction((trx) =>
      applyBulkChange(trx, {
        staff,
        profile: t.config.profile,
        selection,
        change: { kind: 'status', status: 'closed' },
        at: clock.toISOString(),
        audit: t.services.audit,
      }),
    );
    assert.deepEqual([await stored(first.ticket.id), await stored(second.ticket.id)], [5, 5]);
  });

  it('measures tickets finished before it was stored, from their history, in a background job', async () => {
    const withHistory = await create('Finished with a history');
    const withoutHistory = await create('Finished by hand');
    // As an older version left them: a status and its events, but no stored time.
    await appendEvent(t.db, withHistory.ticket.id, {
      actor: 'staff:1',
      action: 'replied',
      before: { status: 'new' },
      after: { status: 'waiting' },
      createdAt: at(1).toISOString(),
    });
    await appendEvent(t.db, withHistory.ticket.id, {
      actor: 'staff:1',
      action: 'status_changed',
      before: { status: 'waiting' },
      after: { status: 'closed' },
      createdAt: at(30).toISOString(),
    });
    await t
      .db('tickets')
      .where({ id: withHistory.ticket.id })
      .update({ status: 'closed', closed_at: at(30).toISOString() });
    // No status in its history: the whole time from arrival to closing (Wednesday 9:00 to Friday 10:00).
    await t
      .db('tickets')
      .where({ id: withoutHistory.ticket.id })
      .update({ status: 'closed', closed_at: at(49).toISOString() });

    const ran = await runJob(t, 'resolution-times', at(50));
    assert.deepEqual(ran, { job: 'resolution-times', status: 'ran', result: { measured: 2, more: false } });
    assert.equal(await stored(withHistory.ticket.id), 1);
    assert.equal(await stored(withoutHistory.ticket.id), 15);
    // Nothing left to measure.
    const again = await runJob(t, 'resolution-times', at(51));
    assert.deepEqual(again, { job: 'resolution-times', status: 'ran', result: { measured: 0, more: false } });
  });
});

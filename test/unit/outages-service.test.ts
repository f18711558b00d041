import assert from 'node:assert/strict';
import { AppError } from '../../src/errors';
import { createOutageService } from '../../src/status/outages.service';
import { buildTestApp, type TestApp } from '../helpers/app';

const NOW = new Date('2026-11-02T17:05:00Z'); // Monday 9:05 a.m. Pacific

describe('declaring, updating and ending outages', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp({ now: () => NOW });
  });
  afterEach(() => t.close());

  const outages = () => t.services.outages;
  const counts = async () => ({
    outages: Number(((await t.db('outages').count({ n: '*' })) as Array<{ n: number }>)[0].n),
    events: Number(((await t.db('outage_events').count({ n: '*' })) as Array<{ n: number }>)[0].n),
  });
  /** The error code a call fails with (and fails it must). */
  const failure = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      return { status: error.status, code: error.toErrors()[0].code, field: error.toErrors()[0].field };
    }
    assert.fail('expected an error');
  };

  it('records each change with who and when, and keeps the first message in the events', async () => {
    const declared = await outages().declare({
      scope: 'cmecf',
      message: 'CM/ECF is not answering.',
      startedAt: '2026-11-02T08:30',
      actor: 'staff:1',
    });
    assert.deepEqual(declared, {
      id: declared.id,
      scope: 'cmecf',
      message: 'CM/ECF is not answering.',
      startedAt: '2026-11-02T16:30:00.000Z',
      endedAt: null,
    });
    assert.deepEqual(await outages().findActive('cmecf'), declared);
    assert.equal(await outages().findActive('pacer'), null);

    await outages().update(declared.id, { message: 'The court is working on it.', actor: 'staff:2' });
    const ended = await outages().end('cmecf', { endedAt: '2026-11-02T09:00:00-08:00', actor: 'cli' });
    assert.equal(ended.endedAt, '2026-11-02T17:00:00.000Z');
    assert.equal(ended.message, 'The court is working on it.');
    assert.equal(await outages().findActive('cmecf'), null);

    const events = await outages().events(declared.id);
    assert.deepEqual(
      events.map((e) => [e.kind, e.message, e.effectiveAt, e.actor]),
      [
        ['declared', 'CM/ECF is not answering.', '2026-11-02T16:30:00.000Z', 'staff:1'],
        ['updated', 'The court is working on it.', NOW.toISOString(), 'staff:2'],
        ['ended', null, '2026-11-02T17:00:00.000Z', 'cli'],
      ],
    );
    for (const e of events) assert.equal(e.recordedAt, NOW.toISOString());
  });

  it('takes a start in the past written in the court zone, and reads a start a minute ahead (clock skew) as now', async () => {
    const late = await outages().declare({
      scope: 'pacer',
      message: 'PACER is down.',
      startedAt: '2026-11-02T08:15',
      actor: 'cli',
    });
    assert.equal(late.startedAt, '2026-11-02T16:15:00.000Z');
    const skewed = await outages().declare({
      scope: 'other',
      message: 'The jury portal is down.',
      startedAt: new Date(NOW.getTime() + 60_000).toISOString(),
      actor: 'cli',
    });
    assert.equal(skewed.startedAt, NOW.toISOString());
  });

  it('refuses bad input with a clear code and stores nothing', async () => {
    const before = await counts();
    const declare = (input: Partial<{ scope: string; message: string; startedAt: string }>) =>
      failure(outages().declare({ scope: 'cmecf', message: 'Down.', actor: 'cli', ...input }));
    assert.deepEqual(await declare({ scope: 'judge' }), { status: 400, code: 'unknown_scope', field: 'scope' });
    assert.deepEqual(await declare({ message: '   ' }), { status: 400, code: 'required', field: 'message' });
    assert.deepEqual(await declare({ message: 'x'.repeat(1001) }), { status: 400, code: 'too_long', field: 'message' });
    assert.deepEqual(await declare({ startedAt: '2026-11-02T17:10:00Z' }), {
      status: 400,
      code: 'start_in_future',
      field: 'startedAt',
    });
    assert.deepEqual(await declare({ startedAt: 'yesterday' }), { status: 400, code: 'invalid_time', field: 'startedAt' });
    assert.deepEqual(await counts(), before);

    const on = await outages().declare({ scope: 'cmecf', message: 'Down.', startedAt: '2026-11-02T16:00:00Z', actor: 'cli' });
    const stored = await counts();
    assert.deepEqual(await declare({}), { status: 409, code: 'outage_active', field: undefined });
    assert.deepEqual(await failure(outages().end(on.id, { endedAt: '2026-11-02T15:59:00Z', actor: 'cli' })), {
      status: 400,
      code: 'end_before_start',
      field: 'endedAt',
    });
    assert.deepEqual(await failure(outages().end(on.id, { endedAt: '2026-11-02T18:00:00Z', actor: 'cli' })), {
      status: 400,
      code: 'end_in_future',
      field: 'endedAt',
    });
    assert.deepEqual(await failure(outages().update(on.id, { message: '', actor: 'cli' })), {
      status: 400,
      code: 'required',
      field: 'message',
    });
    assert.deepEqual(await failure(outages().end('pacer', { actor: 'cli' })), {
      status: 404,
      code: 'no_active_outage',
      field: undefined,
    });
    assert.deepEqual(await failure(outages().end(9999, { actor: 'cli' })), { status: 404, code: 'not_found', field: undefined });
    assert.deepEqual(await counts(), stored);

    await outages().end(on.id, { actor: 'cli' });
    const ended = await counts();
    assert.deepEqual(await failure(outages().end(on.id, { actor: 'cli' })), {
      status: 409,
      code: 'already_ended',
      field: undefined,
    });
    assert.deepEqual(await failure(outages().update(on.id, { message: 'Back.', actor: 'cli' })), {
      status: 409,
      code: 'already_ended',
      field: undefined,
    });
    assert.deepEqual(await counts(), ended);
    assert.equal((await outages().get(on.id)).message, 'Down.');
  });

  it('lets only one of several staff declaring at once open an outage of a scope (the database decides)', async () => {
    // Two processes: each has its own service (and its own cache) on the same database.
    const other = createOutageService({ db: t.db, timezone: t.config.profile.timezone, now: () => NOW });
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? other : outages()).declare({ scope: 'cmecf', message: `Down (${i}).`, actor: `staff:${i}` }),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const lost of attempts.filter((a) => a.status === 'rejected'))
      assert.equal(((lost as PromiseRejectedResult).reason as AppError).code, 'outage_active');
    assert.deepEqual(await counts(), { outages: 1, events: 1 });
    // Two ending it at once end it once.
    const ends = await Promise.allSettled([
      outages().end('cmecf', { actor: 'staff:1' }),
      other.end('cmecf', { actor: 'staff:2' }),
    ]);
    assert.equal(ends.filter((e) => e.status === 'fulfilled').length, 1);
    assert.equal(
      Number(((await t.db('outage_events').where({ kind: 'ended' }).count({ n: '*' })) as Array<{ n: number }>)[0].n),
      1,
    );
  });

  it('answers what is down from memory briefly, and at once after a change in the same process', async () => {
    const other = createOutageService({ db: t.db, timezone: t.config.profile.timezone, now: () => NOW });
    assert.deepEqual(await outages().active(), []);
    const declared = await outages().declare({ scope: 'cmecf', message: 'Down.', actor: 'cli' });
    assert.deepEqual(await outages().active(), [declared]);
    // Another process ends it: this one may keep answering from memory for a few seconds, no longer.
    await other.end(declared.id, { actor: 'cli' });
    assert.equal((await other.active()).length, 0);
  });

  it('lists the history overlapping a range, latest first, with the number of reports', async () => {
    const first = await outages().declare({ scope: 'cmecf', message: 'One.', startedAt: '2026-10-01T10:00:00Z', actor: 'cli' });
    await outages().end(first.id, { endedAt: '2026-10-01T12:00:00Z', actor: 'cli' });
    const second = await outages().declare({ scope: 'pacer', message: 'Two.', startedAt: '2026-11-01T10:00:00Z', actor: 'cli' });
    const ticket = await t.services.tickets.create(
      { name: 'Pat Filer', email: 'pat@example.com', subject: 'PACER down', body: 'PACER does not load.' },
      'web',
    );
    const id = Number(((await t.db('tickets').orderBy('id', 'desc').first('id')) as { id: number }).id);
    assert.ok(ticket);
    await t.db('outage_reports').insert({
      ticket_id: id,
      outage_id: second.id,
      scope: 'pacer',
      received_at: NOW.toISOString(),
      receipt_token_hash: 'a'.repeat(64),
    });

    const all = await outages().history();
    assert.deepEqual(
      all.map((o) => [o.id, o.reports, o.endedAt]),
      [
        [second.id, 1, null],
        [first.id, 0, '2026-10-01T12:00:00.000Z'],
      ],
    );
    assert.deepEqual(
      (await outages().history({ from: '2026-10-01T11:00:00Z', to: '2026-10-02' })).map((o) => o.id),
      [first.id],
    );
    assert.deepEqual(
      (await outages().history({ from: '2026-10-02' })).map((o) => o.id),
      [second.id],
    );
    assert.equal(await outages().countHistory({ to: '2026-10-01T10:00:00Z' }), 0);
    assert.deepEqual(await failure(outages().history({ from: 'last week' })), {
      status: 400,
      code: 'invalid_time',
      field: 'from',
    });
  });
});

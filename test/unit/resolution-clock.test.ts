import assert from 'node:assert/strict';
import { courtProfileSchema, DEFAULT_RESOLUTION_BUSINESS_HOURS } from '../../src/config/court-profile';
import { displayPhone, phoneLink } from '../../src/phone/display-phone';
import { describeHistory } from '../../src/staff/ticket-history';
import { businessHoursToResolve, resolutionClock, statusPeriods, type StatusEvent } from '../../src/tickets/resolution-clock';

// The built-in profile: Monday to Friday 09:00-16:00 Pacific, federal holidays closed.
const profile = courtProfileSchema.parse({ resolutionBusinessHours: 10 });
const MONDAY_9AM = '2027-03-08T17:00:00.000Z';
const at = (hoursAfterMonday9: number) => new Date(Date.parse(MONDAY_9AM) + hoursAfterMonday9 * 3_600_000).toISOString();
const change = (hours: number, from: string, to: string, action = 'status_changed'): StatusEvent => ({
  action,
  before: { status: from },
  after: { status: to },
  createdAt: at(hours),
});

describe('the resolution clock', () => {
  it('runs while a ticket is new or open, pauses while it waits for the filer, and stops when it is resolved', () => {
    // Monday 9-11 open (2 h), waiting Monday 11 to Tuesday 10 (paused), open Tuesday 10-13 (3 h), resolved.
    const events = [
      change(0.5, 'new', 'open', 'claimed'),
      change(2, 'open', 'waiting', 'replied'),
      change(25, 'waiting', 'open'),
      change(28, 'open', 'resolved'),
    ];
    const ticket = { createdAt: MONDAY_9AM, status: 'resolved' as const };
    assert.equal(businessHoursToResolve(profile, ticket, events), 5);
    const clock = resolutionClock(profile, ticket, events, new Date(at(100)));
    assert.deepEqual(
      { phase: clock.phase, state: clock.state, usedHours: clock.usedHours, resolvedAt: clock.resolvedAt },
      { phase: 'resolved', state: 'met', usedHours: 5, resolvedAt: at(28) },
    );
  });

  it('gives the due time while running, counting only business hours, and says when it is overdue', () => {
    const ticket = { createdAt: MONDAY_9AM, status: 'open' as const };
    const events = [change(1, 'new', 'open', 'claimed')];
    // 10 business hours from Monday 9:00: 7 on Monday, 3 on Tuesday.
    const running = resolutionClock(profile, ticket, events, new Date(at(2)));
    assert.deepEqual(
      { phase: running.phase, state: running.state, dueAt: running.dueAt, usedHours: running.usedHours },
      { phase: 'running', state: 'ok', dueAt: at(24 + 3), usedHours: 2 },
    );
    assert.equal(resolutionClock(profile, ticket, events, new Date(at(26.5))).state, 'soon');
    const late = resolutionClock(profile, ticket, events, new Date(at(29)));
    assert.deepEqual({ state: late.state, dueAt: late.dueAt }, { state: 'overdue', dueAt: at(27) });
  });

  it('moves the due time by the time spent waiting for the filer, and has none while paused', () => {
    const ticket = { createdAt: MONDAY_9AM, status: 'open' as const };
    const events = [change(2, 'new', 'waiting', 'replied'), change(24, 'waiting', 'open')];
    const paused = resolutionClock(profile, { ...ticket, status: 'waiting' }, events.slice(0, 1), new Date(at(5)));
    assert.deepEqual(
      { phase: paused.phase, dueAt: paused.dueAt, usedHours: paused.usedHours },
      { phase: 'paused', dueAt: null, usedHours: 2 },
    );
    // 2 hours on Monday; the clock starts again Tuesday 9:00 with 8 to go: Tuesday's 7, then Wednesday 9-10.
    assert.equal(resolutionClock(profile, ticket, events, new Date(at(25))).dueAt, at(49));
  });

  it('has no time to resolve for a refused, merged or unfinished ticket', () => {
    const created = { createdAt: MONDAY_9AM };
    assert.equal(businessHoursToResolve(profile, { ...created, status: 'open' }, [change(1, 'new', 'open')]), null);
    assert.equal(businessHoursToResolve(profile, { ...created, status: 'rejected' }, []), null);
    const merged: StatusEvent = {
      action: 'merged',
      before: { status: 'open' },
      after: { mergedInto: 'HD-2027-000001' },
      createdAt: at(3),
    };
    assert.equal(businessHoursToResolve(profile, { ...created, status: 'closed' }, [merged]), null);
    assert.equal(resolutionClock(profile, { ...created, status: 'closed' }, [merged], new Date(at(4))).phase, 'stopped');
  });

  it('counts the time of a reopened ticket until it is resolved again, not the time it sat resolved', () => {
    const events = [change(1, 'new', 'resolved'), change(24, 'resolved', 'open'), change(26, 'open', 'closed')];
    assert.equal(businessHoursToResolve(profile, { createdAt: MONDAY_9AM, status: 'closed' }, events), 3);
    assert.deepEqual(
      statusPeriods({ createdAt: MONDAY_9AM, status: 'closed' }, events).map((p) => p.status),
      ['new', 'resolved', 'open', 'closed'],
    );
  });
});

describe('the resolution target in the court profile', () => {
  it('defaults to three working days and refuses a target shorter than the first response', () => {
    assert.equal(courtProfileSchema.parse({}).resolutionBusinessHours, DEFAULT_RESOLUTION_BUSINESS_HOURS);
    for (const bad of [0, -3, '24', 5000])
      assert.equal(courtProfileSchema.safeParse({ resolutionBusinessHours: bad }).success, false, String(bad));
    const short = courtProfileSchema.safeParse({ firstResponseBusinessHours: 8, resolutionBusinessHours: 4 });
    assert.equal(short.success, false);
    assert.deepEqual(short.error?.issues[0].path, ['resolutionBusinessHours']);
  });
});

describe('phone numbers as people in the court’s country write them', () => {
  it('writes North American numbers in national form and others in international form', () => {
    const cases: Array<[string, string, string]> = [
      ['+12065550142', '(206) 555-0142', 'tel:+12065550142'],
      ['206-555-0142', '(206) 555-0142', 'tel:+12065550142'],
      ['+17875550100', '(787) 555-0100', 'tel:+17875550100'],
      ['+442079460958', '+44 20 7946 0958', 'tel:+442079460958'],
      ['ask at the desk', 'ask at the desk', 'tel:'],
    ];
    for (const [stored, shown, link] of cases) {
      assert.equal(displayPhone(stored), shown, stored);
      assert.equal(phoneLink(stored), link, stored);
    }
  });
});

describe('a ticket’s history in words', () => {
  const names = new Map([
    [1, 'Ada'],
    [2, 'Bo'],
  ]);
  const event = (action: string, before: unknown, after: unknown, actor = 'staff:1') => ({
    actor,
    action,
    before,
    after,
    createdAt: MONDAY_9AM,
  });

  it('says what each change did, in the words staff use', () => {
    const cases: Array<[ReturnType<typeof event>, string]> = [
      [
        event('claimed', { assigneeId: null, status: 'new' }, { assigneeId: 1, status: 'open' }),
        'Ada claimed it (was unassigned); status changed from New to Open',
      ],
      [
        event('claimed', { assigneeId: 2, status: 'open' }, { assigneeId: 1, status: 'open' }),
        'Ada claimed it (was assigned to Bo)',
      ],
      [event('assigned', { assigneeId: 1 }, { assigneeId: 2 }), 'Ada assigned it to Bo (was assigned to Ada)'],
      [
        event('status_changed', { status: 'new' }, { status: 'waiting' }),
        'Status changed from New to Waiting for the filer by Ada',
      ],
      [
        event('status_changed', { status: 'waiting' }, { status: 'open' }, 'requester'),
        'Status changed from Waiting for the filer to Open because the filer replied',
      ],
      [
        event('status_changed', { status: 'resolved' }, { status: 'closed' }, 'requester'),
        'Status changed from Resolved to Closed by the filer: they said their problem is solved',
      ],
      [event('replied', null, null, 'requester'), 'The filer replied'],
      [
        event('review_declined', { status: 'new', flags: ['needs_review'] }, { status: 'rejected', reason: 'judge_contact' }),
        'Ada declined the request after review, as a message for a judge; status changed from New to Rejected',
      ],
      [
        event('reinstated', { status: 'rejected', flags: ['legal_advice'] }, { status: 'open' }),
        'Ada reinstated the request refused as legal advice: it is a CM/ECF question; status changed from Rejected to Open',
      ],
      [
        event('merged', { status: 'open' }, { mergedInto: 'HD-2027-000009' }),
        'Ada merged this ticket into HD-2027-000009; status changed from Open to Closed',
      ],
      [event('tagged', undefined, { tag: 'pdf' }), 'Ada tagged it “pdf”'],
      [
        event('topic_changed', { topic: 'filing' }, { topic: 'fees-and-summons' }),
        'Ada changed the topic from “Filing” to “Fees and summons”',
      ],
      [event('sealed', null, { reason: 'court order', pages: 3 }), 'Ada sealed (reason “court order”; pages 3)'],
    ];
    const described = describeHistory(
      cases.map(([e]) => e),
      names,
    );
    cases.forEach(([, words], i) => assert.equal(described[i].text, words));
  });
});

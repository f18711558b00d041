import assert from 'node:assert/strict';
import { bookableSlots, slotProblem } from '../../src/callbacks/slots';
import { courtProfileSchema } from '../../src/config/court-profile';

const profile = courtProfileSchema.parse({ closures: [{ date: '2027-03-17', name: 'Weather' }] }); // 09:00–16:00 Pacific, 15-minute slots
const now = new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST

describe('callback slots', () => {
  it('offers 28 quarter-hour slots on an open day, carrying the court offset', () => {
    const slots = bookableSlots(profile, now, '2027-03-11', 1, new Map());
    assert.equal(slots.length, 28);
    assert.equal(slots[0].start, '2027-03-11T09:00:00-08:00');
    assert.equal(slots[27].end, '2027-03-11T16:00:00-08:00');
  });

  it('keeps local times across the 2027 spring change: PST on Friday, PDT on Monday', () => {
    const slots = bookableSlots(profile, now, '2027-03-12', 4, new Map());
    assert.ok(slots.some((s) => s.start === '2027-03-12T09:00:00-08:00'));
    assert.ok(slots.some((s) => s.start === '2027-03-15T09:00:00-07:00'));
    assert.ok(!slots.some((s) => s.start.startsWith('2027-03-13') || s.start.startsWith('2027-03-14')), 'no weekend slots');
  });

  it('keeps local times across the 2027 fall change', () => {
    const fallNow = new Date('2027-11-03T17:00:00Z');
    const slots = bookableSlots(profile, fallNow, '2027-11-05', 4, new Map());
    assert.ok(slots.some((s) => s.start === '2027-11-05T09:00:00-07:00'));
    assert.ok(slots.some((s) => s.start === '2027-11-08T09:00:00-08:00'));
  });

  it('leaves out holidays, added closures, full slots and times inside the minimum notice', () => {
    assert.equal(bookableSlots(profile, now, '2027-03-17', 1, new Map()).length, 0, 'added closure');
    assert.equal(bookableSlots(profile, new Date('2027-05-25T17:00:00Z'), '2027-05-31', 1, new Map()).length, 0, 'Memorial Day');
    const full = new Map([['2027-03-11T17:00:00.000Z', 2]]);
    const slots = bookableSlots(profile, now, '2027-03-11', 1, full);
    assert.ok(!slots.some((s) => s.start === '2027-03-11T09:00:00-08:00'));
    const today = bookableSlots(profile, now, '2027-03-10', 1, new Map());
    assert.equal(today[0].start, '2027-03-10T10:00:00-08:00', 'at least 60 minutes ahead');
  });

  it('explains why a time cannot be booked', () => {
    const at = (iso: string) => slotProblem(profile, now, new Date(iso));
    assert.equal(at('2027-03-11T17:00:00Z'), null);
    assert.equal(at('2027-03-11T16:45:00Z'), 'outside_hours');
    assert.equal(at('2027-03-11T23:50:00Z'), 'outside_hours', '15:50 + 15 minutes passes closing');
    assert.equal(at('2027-03-13T17:00:00Z'), 'closed_day');
    assert.equal(at('2027-03-17T17:00:00Z'), 'closed_day');
    assert.equal(at('2027-03-11T17:05:00Z'), 'not_a_slot');
    assert.equal(at('2027-03-10T17:30:00Z'), 'too_soon');
    assert.equal(at('2027-04-12T16:00:00Z'), 'too_far');
  });

  it('refuses the Saturday maintenance window for a court that takes calls on Saturday', () => {
    const saturdays = courtProfileSchema.parse({ hours: { sat: ['08:00', '12:00'] } });
    const saturdayNow = new Date('2027-03-10T17:00:00Z');
    assert.equal(slotProblem(saturdays, saturdayNow, new Date('2027-03-13T17:00:00Z')), 'maintenance'); // 09:00 PST
    assert.equal(slotProblem(saturdays, saturdayNow, new Date('2027-03-13T18:00:00Z')), null); // 10:00 PST, window over
  });
});

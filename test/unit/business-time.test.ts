import assert from 'node:assert/strict';
import { reminderDueAt } from '../../src/jobs/callback-reminders';
import { addBusinessHours, businessMillisBetween } from '../../src/calendar/business-time';
import { courtProfileSchema } from '../../src/config/court-profile';

const pacific = courtProfileSchema.parse({}); // Mon–Fri 09:00–16:00 America/Los_Angeles, federal holidays
const eastern = courtProfileSchema.parse({ timezone: 'America/New_York', closures: [{ date: '2027-03-16', name: 'Weather' }] });

describe('business time on the court calendar', () => {
  const cases: Array<[string, string, number, string]> = [
    ['inside hours, time left today', '2026-11-23T18:00:00Z', 2, '2026-11-23T20:00:00.000Z'], // Mon 10:00 → 12:00 PST
    ['crosses closing time into the next morning', '2026-11-23T23:30:00Z', 2, '2026-11-24T18:30:00.000Z'], // Mon 15:30 → Tue 10:30
    ['sent at night, due two hours after opening', '2026-11-24T06:00:00Z', 2, '2026-11-24T19:00:00.000Z'], // Mon 22:00 → Tue 11:00
    ['sent on Saturday, due Monday', '2026-11-21T20:00:00Z', 2, '2026-11-23T19:00:00.000Z'],
    ['skips Thanksgiving; the Friday after is open', '2026-11-25T23:30:00Z', 1, '2026-11-27T17:30:00.000Z'], // Wed 15:30 → Fri 09:30
    ['skips Christmas (Friday) and the weekend', '2026-12-24T23:00:00Z', 2, '2026-12-28T18:00:00.000Z'], // Thu 15:00 + 1h, Mon 09:00 + 1h
    ['across the spring daylight-saving change (Sunday 2027-03-14)', '2027-03-12T23:00:00Z', 2, '2027-03-15T17:00:00.000Z'], // Fri 15:00 PST → Mon 10:00 PDT
    ['across the fall change (Sunday 2027-11-07)', '2027-11-05T22:00:00Z', 2, '2027-11-08T18:00:00.000Z'], // Fri 15:00 PDT → Mon 10:00 PST
    ['longer than a day', '2026-11-23T17:00:00Z', 10, '2026-11-24T20:00:00.000Z'], // Mon 09:00 + 7h → Tue 09:00 + 3h
  ];
  for (const [name, from, hours, due] of cases) {
    it(`adds ${hours} business hours: ${name}`, () => {
      assert.equal(addBusinessHours(pacific, new Date(from), hours).toISOString(), due);
    });
  }

  it('gives every request sent in the same closed stretch the same due time', () => {
    const a = addBusinessHours(pacific, new Date('2026-11-22T01:00:00Z'), 2);
    const b = addBusinessHours(pacific, new Date('2026-11-22T22:59:00Z'), 2);
    assert.equal(a.toISOString(), '2026-11-23T19:00:00.000Z');
    assert.equal(b.toISOString(), a.toISOString());
  });

  it('uses the profile zone and its added closures', () => {
    // Monday 2027-03-15 15:30 EDT + 2h: 30 minutes Monday, Tuesday closed for weather, Wednesday 10:30.
    assert.equal(addBusinessHours(eastern, new Date('2027-03-15T19:30:00Z'), 2).toISOString(), '2027-03-17T14:30:00.000Z');
  });

  it('measures business time between two instants', () => {
    const hour = 3_600_000;
    assert.equal(businessMillisBetween(pacific, new Date('2026-11-23T23:00:00Z'), new Date('2026-11-24T18:00:00Z')), 2 * hour);
    assert.equal(businessMillisBetween(pacific, new Date('2026-11-27T23:00:00Z'), new Date('2026-11-30T18:00:00Z')), 2 * hour);
    assert.equal(businessMillisBetween(pacific, new Date('2026-11-24T18:00:00Z'), new Date('2026-11-23T18:00:00Z')), 0);
  });

  it('measures a whole year: 250 open weekdays of 7 hours in 2026 (261 weekdays less 11 observed holidays)', () => {
    const year = businessMillisBetween(pacific, new Date('2026-01-01T08:00:00Z'), new Date('2027-01-01T08:00:00Z'));
    assert.equal(year, 250 * 7 * 3_600_000);
  });

  it('agrees with addBusinessHours from any minute, across both daylight-saving changes', () => {
    for (let i = 0; i < 400; i += 1) {
      // Spread over 2026–2027 by a fixed step of about 44 hours, so every time of day and weekday comes up.
      const from = new Date(Date.UTC(2026, 0, 1) + i * 158_333_333);
      const hours = (i % 40) + 0.25;
      for (const profile of [pacific, eastern]) {
        const due = addBusinessHours(profile, from, hours);
        assert.equal(businessMillisBetween(profile, from, due), hours * 3_600_000, `${from.toISOString()} + ${hours} h`);
      }
    }
  });
});

describe('callback reminders', () => {
  it('are due the day before at the same time on the court’s clock, not 24 hours before', () => {
    // Sunday 2027-03-14 noon PDT; the clocks went forward at 2 a.m. that day.
    assert.equal(reminderDueAt('2027-03-14T19:00:00Z', 'America/Los_Angeles').toISOString(), '2027-03-13T20:00:00.000Z');
    // An ordinary Thursday: the same as 24 hours.
    assert.equal(reminderDueAt('2027-03-11T18:00:00Z', 'America/Los_Angeles').toISOString(), '2027-03-10T18:00:00.000Z');
  });
});

import assert from 'node:assert/strict';
import { closuresInYear, openStateAt, upcomingClosures } from '../../src/calendar/court-calendar';
import { courtProfileSchema } from '../../src/config/court-profile';

// Built-in defaults: Monday to Friday 09:00–16:00, America/Los_Angeles, US federal holidays.
const pacific = courtProfileSchema.parse({
  closures: [{ date: '2026-12-24', name: 'Christmas Eve' }],
});
const eastern = courtProfileSchema.parse({
  timezone: 'America/New_York',
  hours: {
    mon: ['08:30', '17:00'],
    tue: ['08:30', '17:00'],
    wed: ['08:30', '17:00'],
    thu: ['08:30', '17:00'],
    fri: ['08:30', '17:00'],
  },
});
const noHolidays = courtProfileSchema.parse({ holidays: 'none' });

describe('openStateAt', () => {
  const cases: Array<{
    what: string;
    profile: typeof pacific;
    at: string;
    open: boolean;
  }> = [
    {
      what: 'a Monday at 10:00 Pacific',
      profile: pacific,
      at: '2026-11-23T10:00:00-08:00',
      open: true,
    },
    {
      what: 'a Monday at 09:00 Pacific (opening minute)',
      profile: pacific,
      at: '2026-11-23T09:00:00-08:00',
      open: true,
    },
    {
      what: 'a Monday at 08:59 Pacific',
      profile: pacific,
      at: '2026-11-23T08:59:00-08:00',
      open: false,
    },
    {
      what: 'a Monday at 15:59 Pacific',
      profile: pacific,
      at: '2026-11-23T15:59:00-08:00',
      open: true,
    },
    {
      what: 'a Monday at 16:00 Pacific (closing time is exclusive)',
      profile: pacific,
      at: '2026-11-23T16:00:00-08:00',
      open: false,
    },
    {
      what: 'a Saturday at noon Pacific',
      profile: pacific,
      at: '2026-11-28T12:00:00-08:00',
      open: false,
    },
    {
      what: 'a Sunday at noon Pacific',
      profile: pacific,
      at: '2026-11-29T12:00:00-08:00',
      open: false,
    },
    // Instants in UTC are judged on the court's clock.
    {
      what: '2026-11-23T23:30Z (15:30 Pacific Monday)',
      profile: pacific,
      at: '2026-11-23T23:30:00Z',
      open: true,
    },
    {
      what: '2026-11-24T00:30Z (16:30 Pacific Monday, already Tuesday in UTC)',
      profile: pacific,
      at: '2026-11-24T00:30:00Z',
      open: false,
    },
    {
      what: '2026-11-28T01:00Z (17:00 Pacific Friday, Saturday in UTC)',
      profile: pacific,
      at: '2026-11-28T01:00:00Z',
      open: false,
    },
    {
      what: '2026-11-28T07:30Z in Pacific (Friday 23:30)',
      profile: pacific,
      at: '2026-11-28T07:30:00Z',
      open: false,
    },
    // New York.
    {
      what: '08:30 Eastern on a Monday',
      profile: eastern,
      at: '2026-11-23T13:30:00Z',
      open: true,
    },
    {
      what: '08:29 Eastern on a Monday',
      profile: eastern,
      at: '2026-11-23T13:29:00Z',
      open: false,
    },
    {
      what: '16:59 Eastern on a Monday',
      profile: eastern,
      at: '2026-11-23T21:59:00Z',
      open: true,
    },
    {
      what: '17:00 Eastern on a Monday',
      profile: eastern,
      at: '2026-11-23T22:00:00Z',
      open: false,
    },
    {
      what: '07:00 Pacific on a Monday in New York (10:00 Eastern)',
      profile: eastern,
      at: '2026-11-23T07:00:00-08:00',
      open: true,
    },
    // Across the daylight-saving change of Sunday 2027-03-14.
    {
      what: '09:30 PDT on Monday 2027-03-15 (16:30Z)',
      profile: pacific,
      at: '2027-03-15T16:30:00Z',
      open: true,
    },
    {
      what: '08:30 PST on Friday 2027-03-12 (16:30Z)',
      profile: pacific,
      at: '2027-03-12T16:30:00Z',
      open: false,
    },
    {
      what: '15:30 PDT on Monday 2027-03-15 (22:30Z)',
      profile: pacific,
      at: '2027-03-15T22:30:00Z',
      open: true,
    },
    {
      what: '16:30 PST on Friday 2027-03-12 (00:30Z Saturday)',
      profile: pacific,
      at: '2027-03-13T00:30:00Z',
      open: false,
    },
  ];

  for (const { what, profile, at, open } of cases) {
    it(`is ${open ? 'open' : 'closed'} at ${what}`, () => {
      assert.equal(openStateAt(profile, new Date(at)).open, open);
    });
  }

  it("gives today's hours on a working day", () => {
    assert.deepEqual(openStateAt(pacific, new Date('2026-11-23T08:00:00-08:00')).todayHours, ['09:00', '16:00']);
  });

  it('is closed on Thanksgiving 2026 and names the holiday', () => {
    const state = openStateAt(pacific, new Date('2026-11-26T10:00:00-08:00'));
    assert.equal(state.open, false);
    assert.deepEqual(state.closure, {
      date: '2026-11-26',
      name: 'Thanksgiving Day',
    });
  });

  it('is closed on a date the profile adds and names the closure', () => {
    const state = openStateAt(pacific, new Date('2026-12-24T10:00:00-08:00'));
    assert.equal(state.open, false);
    assert.deepEqual(state.closure, {
      date: '2026-12-24',
      name: 'Christmas Eve',
    });
  });

  it('judges a holiday by the date in the court zone, not in UTC', () => {
    // 2026-11-27T07:30Z is still Thanksgiving (23:30) in California; 2026-11-26T07:30Z is the evening before.
    assert.equal(openStateAt(pacific, new Date('2026-11-27T07:30:00Z')).closure?.name, 'Thanksgiving Day');
    assert.equal(openStateAt(pacific, new Date('2026-11-26T07:30:00Z')).closure, undefined);
  });

  it('is open on Thanksgiving when the profile keeps no federal holidays', () => {
    const state = openStateAt(noHolidays, new Date('2026-11-26T10:00:00-08:00'));
    assert.equal(state.open, true);
    assert.equal(state.closure, undefined);
  });
});

describe('closuresInYear', () => {
  it('merges federal holidays and profile closures in date order', () => {
    const closures = closuresInYear(pacific, 2026);
    assert.equal(closures.length, 12);
    assert.deepEqual(closures.slice(-2), [
      { date: '2026-12-24', name: 'Christmas Eve' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
    const sorted = [...closures].sort((a, b) => a.date.localeCompare(b.date));
    assert.deepEqual(closures, sorted);
  });

  it('keeps only the profile closures of the year asked for', () => {
    assert.ok(!closuresInYear(pacific, 2027).some((closure) => closure.name === 'Christmas Eve'));
  });

  it('lists a date once when the profile repeats a federal holiday', () => {
    const profile = courtProfileSchema.parse({
      closures: [{ date: '2026-11-26', name: 'Thanksgiving (court)' }],
    });
    const onThanksgiving = closuresInYear(profile, 2026).filter((closure) => closure.date === '2026-11-26');
    assert.equal(onThanksgiving.length, 1);
  });

  it('has only the profile closures when the profile keeps no federal holidays', () => {
    const profile = courtProfileSchema.parse({
      holidays: 'none',
      closures: [{ date: '2026-08-14', name: 'Move' }],
    });
    assert.deepEqual(closuresInYear(profile, 2026), [{ date: '2026-08-14', name: 'Move' }]);
  });
});

describe('upcomingClosures', () => {
  it('starts with today and runs into the next year, at most `limit`', () => {
    assert.deepEqual(upcomingClosures(pacific, new Date('2026-12-24T12:00:00-08:00'), 3), [
      { date: '2026-12-24', name: 'Christmas Eve' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2027-01-01', name: "New Year's Day" },
    ]);
  });

  it("counts 'today' in the court zone", () => {
    // 2026-12-25T06:00Z is still 22:00 on December 24 in California.
    assert.equal(upcomingClosures(pacific, new Date('2026-12-25T06:00:00Z'), 1)[0].date, '2026-12-24');
  });
});

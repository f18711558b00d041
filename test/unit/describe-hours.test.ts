import assert from 'node:assert/strict';
import { clockTime, describeWeeklyHours } from '../../src/calendar/describe-hours';
import { courtProfileSchema } from '../../src/config/court-profile';

describe('clockTime', () => {
  const cases: Array<[string, string]> = [
    ['09:00', '9:00 a.m.'],
    ['12:00', 'noon'],
    ['16:30', '4:30 p.m.'],
    ['00:15', '12:15 a.m.'],
    ['12:30', '12:30 p.m.'],
    ['11:59', '11:59 a.m.'],
    ['23:05', '11:05 p.m.'],
  ];

  for (const [hhmm, words] of cases) {
    it(`writes ${hhmm} as "${words}"`, () => {
      assert.equal(clockTime(hhmm), words);
    });
  }
});

describe('describeWeeklyHours', () => {
  const nineToFour: [string, string] = ['09:00', '16:00'];

  const cases: Array<{
    what: string;
    hours: Record<string, [string, string]>;
    lines: Array<{ days: string; hours: string }>;
  }> = [
    {
      what: 'gives Monday to Friday with the same hours one line',
      hours: {
        mon: nineToFour,
        tue: nineToFour,
        wed: nineToFour,
        thu: nineToFour,
        fri: nineToFour,
      },
      lines: [{ days: 'Monday to Friday', hours: '9:00 a.m. to 4:00 p.m.' }],
    },
    {
      what: 'splits the run when Friday has different hours',
      hours: {
        mon: nineToFour,
        tue: nineToFour,
        wed: nineToFour,
        thu: nineToFour,
        fri: ['09:00', '12:00'],
      },
      lines: [
        { days: 'Monday to Thursday', hours: '9:00 a.m. to 4:00 p.m.' },
        { days: 'Friday', hours: '9:00 a.m. to noon' },
      ],
    },
    {
      what: 'splits the run at a day without hours',
      hours: {
        mon: nineToFour,
        tue: nineToFour,
        wed: nineToFour,
        fri: nineToFour,
      },
      lines: [
        { days: 'Monday to Wednesday', hours: '9:00 a.m. to 4:00 p.m.' },
        { days: 'Friday', hours: '9:00 a.m. to 4:00 p.m.' },
      ],
    },
    {
      what: 'does not join days with the same hours around a day with other hours',
      hours: { mon: nineToFour, tue: ['10:00', '16:00'], wed: nineToFour },
      lines: [
        { days: 'Monday', hours: '9:00 a.m. to 4:00 p.m.' },
        { days: 'Tuesday', hours: '10:00 a.m. to 4:00 p.m.' },
        { days: 'Wednesday', hours: '9:00 a.m. to 4:00 p.m.' },
      ],
    },
    {
      what: 'gives no lines when the profile has no hours',
      hours: {},
      lines: [],
    },
  ];

  for (const { what, hours, lines } of cases) {
    it(what, () => {
      assert.deepEqual(describeWeeklyHours(courtProfileSchema.parse({ hours })), lines);
    });
  }
});

import assert from 'node:assert/strict';
import { allForYear } from '@18f/us-federal-holidays';
import { observedFederalHolidays } from '../../src/calendar/federal-holidays';

/**
 * The observed dates that fall in `year` according to @18f/us-federal-holidays. Its `allForYear(y)`
 * lists y's holidays at their observed dates, so a Saturday New Year's Day shows up as December 31
 * of y - 1: reading y and y + 1 and keeping the dates inside `year` gives the dates the court is closed.
 * Inauguration Day is not a nationwide closure, so it is left out if the package lists it.
 */
function referenceDates(year: number): string[] {
  const options = { shiftSaturdayHolidays: true, shiftSundayHolidays: true };
  return [...allForYear(year, options), ...allForYear(year + 1, options)]
    .filter((holiday) => !/inauguration/i.test(holiday.name))
    .map((holiday) => holiday.dateString)
    .filter((date) => date.startsWith(`${year}-`))
    .sort();
}

const dates = (year: number) => observedFederalHolidays(year).map((closure) => closure.date);

describe('observedFederalHolidays', () => {
  for (let year = 2021; year <= 2035; year += 1) {
    it(`gives the same observed dates as @18f/us-federal-holidays for ${year}`, () => {
      assert.deepEqual([...dates(year)].sort(), referenceDates(year));
    });
  }

  it('lists the 2026 holidays at their observed dates, in date order', () => {
    assert.deepEqual(observedFederalHolidays(2026), [
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Birthday of Martin Luther King, Jr.' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth National Independence Day' },
      { date: '2026-07-03', name: 'Independence Day' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-10-12', name: 'Columbus Day' },
      { date: '2026-11-11', name: 'Veterans Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });

  it('lists the 2027 holidays at their observed dates, including New Year 2028 observed on December 31', () => {
    assert.deepEqual(observedFederalHolidays(2027), [
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-01-18', name: 'Birthday of Martin Luther King, Jr.' },
      { date: '2027-02-15', name: "Washington's Birthday" },
      { date: '2027-05-31', name: 'Memorial Day' },
      { date: '2027-06-18', name: 'Juneteenth National Independence Day' },
      { date: '2027-07-05', name: 'Independence Day' },
      { date: '2027-09-06', name: 'Labor Day' },
      { date: '2027-10-11', name: 'Columbus Day' },
      { date: '2027-11-11', name: 'Veterans Day' },
      { date: '2027-11-25', name: 'Thanksgiving Day' },
      { date: '2027-12-24', name: 'Christmas Day' },
      { date: '2027-12-31', name: "New Year's Day" },
    ]);
  });

  it('puts a Saturday New Year (2022) on December 31 of the year before', () => {
    assert.ok(dates(2021).includes('2021-12-31'));
    assert.ok(!dates(2022).includes('2022-01-01'));
    assert.ok(!dates(2022).includes('2021-12-31'));
  });

  it('has Juneteenth from 2021 on and not before', () => {
    const juneteenth = (year: number) => observedFederalHolidays(year).filter((closure) => closure.name.startsWith('Juneteenth'));
    assert.deepEqual(juneteenth(2020), []);
    assert.deepEqual(juneteenth(2021), [{ date: '2021-06-18', name: 'Juneteenth National Independence Day' }]);
  });

  const weekendShifts: Array<{
    what: string;
    year: number;
    observed: string;
    actual: string;
  }> = [
    {
      what: 'July 4 2026 (Saturday)',
      year: 2026,
      observed: '2026-07-03',
      actual: '2026-07-04',
    },
    {
      what: 'Christmas 2027 (Saturday)',
      year: 2027,
      observed: '2027-12-24',
      actual: '2027-12-25',
    },
    {
      what: 'July 4 2027 (Sunday)',
      year: 2027,
      observed: '2027-07-05',
      actual: '2027-07-04',
    },
  ];

  for (const { what, year, observed, actual } of weekendShifts) {
    it(`observes ${what} on ${observed}`, () => {
      assert.ok(dates(year).includes(observed));
      assert.ok(!dates(year).includes(actual));
    });
  }
});

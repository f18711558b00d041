import assert from 'node:assert/strict';
import { callTimeLabel, dayLabel, monthLabel, timeLabel } from '../../src/callbacks/callback-dates';
import { dayProblem, pickerView, slotsByDay } from '../../src/callbacks/slot-calendar';
import { bookableSlots } from '../../src/callbacks/slots';
import { courtProfileSchema } from '../../src/config/court-profile';

const zone = 'America/Los_Angeles';
const now = new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST
const profile = courtProfileSchema.parse({ closures: [{ date: '2027-03-17', name: 'Weather' }] });
const slots = bookableSlots(profile, now, '2027-03-10', 31, new Map());
const base = { zone, slots, today: '2027-03-10', lastDay: '2027-04-09' };

describe('the slot picker: a month of days, then one day’s times', () => {
  it('lays March 2027 out from Sunday, marking the open days from today with their free times', () => {
    const view = pickerView({ ...base, language: 'en' });
    assert.equal(view.month, '2027-03');
    assert.equal(view.monthTitle, 'March 2027');
    assert.equal(view.previousMonth, null);
    assert.equal(view.nextMonth, '2027-04');
    assert.equal(view.weeks.length, 5);
    assert.equal(view.weeks[0][0], null, 'March 1, 2027 is a Monday: Sunday is blank');
    const cells = view.weeks.flat().filter((c) => c !== null);
    const free = (date: string) => cells.find((c) => c.date === date)?.free;
    assert.equal(free('2027-03-09'), 0, 'yesterday');
    assert.equal(free('2027-03-10'), 24, 'today after the hour of notice');
    assert.equal(free('2027-03-11'), 28);
    assert.equal(free('2027-03-13'), 0, 'Saturday');
    assert.equal(free('2027-03-17'), 0, 'a closure');
    assert.deepEqual(view.times, [], 'no times before a day is chosen');
  });

  it('shows the chosen day’s times, the chosen time in words, and the last month without a next link', () => {
    const view = pickerView({ ...base, language: 'es', chosenDay: '2027-04-09', selectedStart: '2027-04-09T13:00:00-07:00' });
    assert.equal(view.month, '2027-04');
    assert.equal(view.monthTitle, 'Abril de 2027');
    assert.equal(view.nextMonth, null);
    assert.equal(view.previousMonth, '2027-03');
    assert.equal(view.times.length, 28);
    assert.equal(view.chosenDayLabel, 'viernes, 9 de abril');
    assert.equal(view.selectedLabel, 'viernes, 9 de abril, 1:00 p.m.');
    assert.deepEqual(view.weekdays[0], { short: 'Dom', long: 'domingo' });
  });

  it('ignores a selected time that is not on the chosen day, and clamps a month asked out of range', () => {
    assert.equal(
      pickerView({ ...base, language: 'en', chosenDay: '2027-03-11', selectedStart: '2027-03-12T09:00:00-08:00' }).selectedStart,
      null,
    );
    assert.equal(pickerView({ ...base, language: 'en', month: '2026-01' }).month, '2027-03');
    assert.equal(pickerView({ ...base, language: 'en', month: '2030-12' }).month, '2027-04');
    assert.equal(pickerView({ ...base, language: 'en', month: '2027-13' }).month, '2027-03');
    assert.equal(pickerView({ ...base, language: 'en', month: ['2027-04'] }).month, '2027-03');
  });

  for (const [day, problem] of [
    ['2027-03-11', null],
    ['2027-04-09', null],
    ['2027-04-12', 'outside_range'],
    ['2027-03-09', 'outside_range'],
    ['2027-03-13', 'no_times'],
    ['2027-03-17', 'no_times'],
    ['2027-02-30', 'invalid_day'],
    ['2027-3-11', 'invalid_day'],
    ['', 'invalid_day'],
    [['2027-03-11'], 'invalid_day'],
  ] as const) {
    it(`finds ${JSON.stringify(day)} ${problem ?? 'bookable'}`, () => {
      assert.equal(dayProblem(day, slotsByDay(slots, zone), base.today, base.lastDay), problem);
    });
  }

  it('names days, months and times in the page language', () => {
    assert.equal(dayLabel('2027-03-11', zone, 'en'), 'Thursday, March 11');
    assert.equal(dayLabel('2027-03-11', zone, 'es'), 'jueves, 11 de marzo');
    assert.equal(monthLabel('2027-11', zone, 'es'), 'Noviembre de 2027');
    assert.equal(timeLabel('2027-03-11T13:45:00-08:00', zone, 'en'), '1:45 p.m.');
    assert.equal(timeLabel('2027-03-11T09:00:00-08:00', zone, 'es'), '9:00 a.m.');
    assert.equal(callTimeLabel('2027-03-11T17:00:00Z', zone, 'en'), 'Thursday, March 11, 2027 at 9:00 a.m. PST');
    assert.equal(callTimeLabel('2027-03-15T16:00:00Z', zone, 'es'), 'lunes, 15 de marzo de 2027, a las 9:00 a.m. PDT');
    assert.equal(callTimeLabel('2027-03-15T20:00:00Z', zone, 'es'), 'lunes, 15 de marzo de 2027, a la 1:00 p.m. PDT');
  });
});

import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { businessMillisBetween } from '../../src/calendar/business-time';
import { courtProfileSchema } from '../../src/config/court-profile';
import { businessClock, groupedBy, median } from '../../src/reports/business-clock';
import { niceScale } from '../../src/reports/report-charts';
import { csvField } from '../../src/reports/report-export';
import { courtIso, courtRange, daysCovered, slotMinutes } from '../../src/reports/report-range';
import { readInstants } from '../../src/reports/reports.repository';

describe('report pieces', () => {
  const profile = courtProfileSchema.parse({ closures: [{ date: '2026-03-13', name: 'Court closed' }] });

  it('counts business time by subtraction on a clock, as the calendar walk does, across holidays and clock changes', () => {
    const from = Date.parse('2026-02-20T00:00:00Z');
    const to = Date.parse('2026-11-20T00:00:00Z');
    const clock = businessClock(profile, from, to);
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 400; i += 1) {
      const a = from + Math.floor((random() * (to - from - 30 * 86_400_000)) / 60_000) * 60_000;
      const b = a + Math.floor((random() * 20 * 86_400_000) / 60_000) * 60_000;
      assert.equal(
        clock(b) - clock(a),
        businessMillisBetween(profile, new Date(a), new Date(b)),
        `${new Date(a).toISOString()} to ${new Date(b).toISOString()}`,
      );
    }
    // Friday 15:00 PST to Monday 10:30 PDT, the clocks changing between: 1 + 1.5 business hours.
    assert.equal(clock(Date.parse('2026-03-09T17:30:00Z')) - clock(Date.parse('2026-03-06T23:00:00Z')), 2.5 * 3_600_000);
    // An added closure (March 13) and a federal holiday (Memorial Day, May 25) count nothing.
    assert.equal(clock(Date.parse('2026-03-14T00:00:00Z')) - clock(Date.parse('2026-03-13T07:00:00Z')), 0);
    assert.equal(clock(Date.parse('2026-05-26T07:00:00Z')) - clock(Date.parse('2026-05-25T07:00:00Z')), 0);
    // Before the range's first opening nothing has passed; after its last day the clock stands still.
    assert.equal(clock(from - 86_400_000), 0);
    assert.equal(clock(to + 10 * 86_400_000), clock(to + 86_400_000));
    assert.ok(clock(to) > 0);
  });

  it('finds the court’s days with their real length when the clocks change', () => {
    const march = courtRange('2026-03-07', '2026-03-09', 'America/Los_Angeles');
    assert.deepEqual(
      march.days.map((d) => [d.date, d.startsAt, d.endsAt, d.weekday]),
      [
        ['2026-03-07', '2026-03-07T08:00:00.000Z', '2026-03-08T08:00:00.000Z', 6],
        ['2026-03-08', '2026-03-08T08:00:00.000Z', '2026-03-09T07:00:00.000Z', 7],
        ['2026-03-09', '2026-03-09T07:00:00.000Z', '2026-03-10T07:00:00.000Z', 1],
      ],
    );
    for (const zone of ['America/New_York', 'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico', 'Pacific/Guam']) {
      const range = courtRange('2025-01-01', '2026-12-31', zone);
      for (const day of range.days) {
        const start = DateTime.fromISO(day.date, { zone }).startOf('day');
        assert.equal(day.startsAt, start.toUTC().toISO(), `${zone} ${day.date}`);
        assert.equal(day.endsAt, start.plus({ days: 1 }).startOf('day').toUTC().toISO(), `${zone} ${day.date}`);
      }
    }
    assert.equal(daysCovered('2024-03-01', '2026-02-28'), 730);
    assert.equal(daysCovered('2026-03-02', '2026-03-01'), 0);
  });

  it('writes instants on the court’s clock with the offset of their moment', () => {
    const range = courtRange('2026-03-01', '2026-03-31', 'America/Los_Angeles');
    const local = courtIso(range.offsets);
    assert.equal(local(Date.parse('2026-03-08T09:59:00Z')), '2026-03-08T01:59:00-08:00');
    assert.equal(local(Date.parse('2026-03-08T10:00:00Z')), '2026-03-08T03:00:00-07:00');
    assert.equal(slotMinutes(range.offsets), 60);
    assert.equal(slotMinutes(courtRange('2026-03-01', '2026-03-31', 'Asia/Kolkata').offsets), 30);
    assert.equal(slotMinutes(courtRange('2026-03-01', '2026-03-31', 'Asia/Kathmandu').offsets), 15);
  });

  it('reads instants written end to end, with or without milliseconds', () => {
    const text = '2026-03-08T09:59:00.000Z2026-03-08T10:00:00Z1999-12-31T23:59:59.5Z';
    const out = new Float64Array(6);
    assert.equal(readInstants(text, out, 1), 3);
    assert.deepEqual(
      [out[1], out[3], out[5]],
      [Date.parse('2026-03-08T09:59:00.000Z'), Date.parse('2026-03-08T10:00:00Z'), Date.parse('1999-12-31T23:59:59.500Z')],
    );
    assert.equal(readInstants('', out), 0);
  });

  it('takes medians and groups, and a scale for the charts', () => {
    assert.equal(median(Float64Array.from([5, 1, 3])), 3);
    assert.equal(median(Float64Array.from([4, 1, 3, 2])), 2.5);
    assert.equal(median(new Float64Array()), null);
    assert.deepEqual(groupedBy(Float64Array.from([0.5, 1, 3.9, 4, 100]), [1, 4, 8]), [1, 2, 1, 1]);
    assert.deepEqual(niceScale(0), { top: 1, step: 1 });
    assert.deepEqual(niceScale(26), { top: 30, step: 10 });
    assert.deepEqual(niceScale(1440), { top: 1500, step: 500 });
  });

  it('writes CSV fields a spreadsheet reads as text, never as a formula', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('-tag'), "'-tag");
  });
});

import assert from 'node:assert/strict';
import { maintenanceAt } from '../../src/calendar/maintenance-windows';
import { courtProfileSchema } from '../../src/config/court-profile';
import { describeDuration, describeSpan, postedAt, isoInZone } from '../../src/status/outage-times';

const LA = 'America/Los_Angeles';

describe('outage times in words', () => {
  it('says how long an outage lasted in hours and minutes, counting the time that really passed', () => {
    const cases: Array<[string, string, string]> = [
      ['2026-11-02T16:40:00Z', '2026-11-02T17:00:00Z', '20 minutes'],
      ['2026-11-02T16:00:00Z', '2026-11-02T18:15:00Z', '2 hours 15 minutes'],
      ['2026-11-02T16:00:00Z', '2026-11-02T17:01:30Z', '1 hour 1 minute'],
      ['2026-11-02T16:00:00Z', '2026-11-02T18:00:00Z', '2 hours'],
      ['2026-11-02T16:00:00Z', '2026-11-02T16:00:40Z', 'less than a minute'],
      ['2026-11-02T16:00:00Z', '2026-11-05T17:20:00Z', '3 days 1 hour'],
      // 12:30 a.m. PDT to 3:30 a.m. PST on the night the clocks go back: four hours, not three.
      ['2026-11-01T07:30:00Z', '2026-11-01T11:30:00Z', '4 hours'],
      // 1:30 a.m. PST to 3:30 a.m. PDT on the night the clocks go forward: one hour, not two.
      ['2026-03-08T09:30:00Z', '2026-03-08T10:30:00Z', '1 hour'],
    ];
    for (const [start, end, words] of cases) assert.equal(describeDuration(start, end), words, `${start} → ${end}`);
  });

  it('writes times in the court zone with its offset of that day', () => {
    assert.equal(isoInZone('2026-11-01T07:30:00.000Z', LA), '2026-11-01T00:30:00-07:00');
    assert.equal(isoInZone('2026-11-01T11:30:00.000Z', LA), '2026-11-01T03:30:00-08:00');
    assert.equal(postedAt('2026-11-02T16:50:00.000Z', LA, new Date('2026-11-02T17:05:00Z')), '8:50 a.m. today');
    assert.equal(postedAt('2026-11-02T07:30:00.000Z', LA, new Date('2026-11-02T17:05:00Z')), 'Sunday, November 1 at 11:30 p.m.');
    assert.equal(
      describeSpan('2026-11-07T14:00:00Z', '2026-11-07T18:00:00Z', LA),
      'Saturday, November 7, 2026, from 6:00 a.m. to 10:00 a.m. PST',
    );
  });
});

describe('the CM/ECF maintenance window', () => {
  const profile = courtProfileSchema.parse({}); // Saturdays 6:00–10:00 a.m. Pacific

  it('says whether it is on, and which window is under way or next, in the court zone across a clock change', () => {
    const cases: Array<[string, boolean, string, string]> = [
      ['2026-11-02T17:05:00Z', false, '2026-11-07T06:00:00-08:00', '2026-11-07T10:00:00-08:00'],
      ['2026-11-07T15:00:00Z', true, '2026-11-07T06:00:00-08:00', '2026-11-07T10:00:00-08:00'],
      ['2026-11-07T18:00:00Z', false, '2026-11-14T06:00:00-08:00', '2026-11-14T10:00:00-08:00'],
      // The Saturday before the clocks go back is on daylight time; the next is on standard time.
      ['2026-10-31T18:30:00Z', false, '2026-11-07T06:00:00-08:00', '2026-11-07T10:00:00-08:00'],
      ['2026-10-31T13:59:00Z', true, '2026-10-31T06:00:00-07:00', '2026-10-31T10:00:00-07:00'],
    ];
    for (const [instant, now, start, end] of cases)
      assert.deepEqual(maintenanceAt(profile, new Date(instant)), { now, next: { start, end } }, instant);
  });

  it('has no window when the profile sets none', () => {
    const none = courtProfileSchema.parse({ maintenance: [] });
    assert.deepEqual(maintenanceAt(none, new Date('2026-11-07T15:00:00Z')), { now: false, next: null });
  });
});

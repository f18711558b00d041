import assert from 'node:assert/strict';
import {
  clockTime,
  dayPlural,
  describeWeeklyHours,
  formatDate,
  formatInstant,
  zoneName,
} from '../../src/calendar/describe-hours';
import { courtProfileSchema } from '../../src/config/court-profile';
import { describeDuration, describeSpan, postedAt } from '../../src/status/outage-times';
import { intakeLanguage } from '../../src/tickets/request-language';

const LA = 'America/Los_Angeles';

describe('dates, times and hours in Spanish', () => {
  it('writes clock times, weekdays and the zone as US courts write them in Spanish', () => {
    assert.equal(clockTime('09:00', 'es'), '9:00 a.m.');
    assert.equal(clockTime('16:30', 'es'), '4:30 p.m.');
    assert.equal(clockTime('12:00', 'es'), 'mediodía');
    assert.equal(dayPlural('sat', 'es'), 'sábados');
    assert.equal(dayPlural('mon', 'es'), 'lunes');
    assert.equal(dayPlural('sat'), 'Saturdays');
    assert.equal(zoneName(LA, new Date('2026-11-23T18:00:00Z'), 'es'), 'hora del Pacífico');
  });

  it('groups weekly hours into Spanish lines', () => {
    const profile = courtProfileSchema.parse({
      hours: {
        mon: ['09:00', '16:00'],
        tue: ['09:00', '16:00'],
        wed: ['09:00', '16:00'],
        thu: ['09:00', '16:00'],
        fri: ['09:00', '12:00'],
      },
    });
    assert.deepEqual(describeWeeklyHours(profile, 'es'), [
      { days: 'Lunes a jueves', hours: 'de 9:00 a.m. a 4:00 p.m.' },
      { days: 'Viernes', hours: 'de 9:00 a.m. a mediodía' },
    ]);
  });

  it('writes dates and instants in Spanish, and English exactly as before', () => {
    const cases: Array<[string, string, string]> = [
      [
        '2026-11-23T17:05:00Z',
        'lunes, 23 de noviembre de 2026, a las 9:05 a.m. PST',
        'Monday, November 23, 2026 at 9:05 a.m. PST',
      ],
      [
        '2026-11-23T21:05:00Z',
        'lunes, 23 de noviembre de 2026, a la 1:05 p.m. PST',
        'Monday, November 23, 2026 at 1:05 p.m. PST',
      ],
      ['2026-11-23T20:00:00Z', 'lunes, 23 de noviembre de 2026, al mediodía PST', 'Monday, November 23, 2026 at noon PST'],
    ];
    for (const [iso, es, en] of cases) {
      assert.equal(formatInstant(iso, LA, 'es'), es);
      assert.equal(formatInstant(iso, LA), en);
    }
    assert.equal(formatDate('2026-11-26', 'es'), 'jueves, 26 de noviembre de 2026');
    assert.equal(formatDate('2026-11-26'), 'Thursday, November 26, 2026');
  });

  it('says how long and since when in Spanish', () => {
    assert.equal(describeDuration('2026-11-02T16:00:00Z', '2026-11-02T18:15:00Z', 'es'), '2 horas 15 minutos');
    assert.equal(describeDuration('2026-11-02T16:00:00Z', '2026-11-05T17:20:00Z', 'es'), '3 días 1 hora');
    assert.equal(describeDuration('2026-11-02T16:00:00Z', '2026-11-02T16:00:40Z', 'es'), 'menos de un minuto');
    const now = new Date('2026-11-02T17:05:00Z');
    assert.equal(postedAt('2026-11-02T16:50:00.000Z', LA, now, 'es'), 'hoy a las 8:50 a.m.');
    assert.equal(postedAt('2026-11-02T07:30:00.000Z', LA, now, 'es'), 'el domingo 1 de noviembre a las 11:30 p.m.');
    assert.equal(
      describeSpan('2026-11-07T14:00:00Z', '2026-11-07T18:00:00Z', LA, 'es'),
      'sábado, 7 de noviembre de 2026, de 6:00 a.m. a 10:00 a.m. PST',
    );
  });
});

describe('the language a new request is recorded in', () => {
  const SPANISH = 'Hola, no puedo entrar a mi cuenta de CM/ECF desde ayer. Me sale un error cuando pongo la contraseña.';
  const ENGLISH = 'Hello, I cannot log in to my CM/ECF account since yesterday. I get an error when I type the password.';
  const cases: Array<[string, string, Parameters<typeof intakeLanguage>[1], 'en' | 'es']> = [
    ['the language the sender named wins over the text', ENGLISH, { chosen: 'es' }, 'es'],
    ['with no choice, the language of the text', SPANISH, {}, 'es'],
    ['with no choice, English text is English', ENGLISH, {}, 'en'],
    ['a few English words on the Spanish page stay Spanish', 'PDF upload error 500', { page: 'es' }, 'es'],
    ['a case caption in English on the Spanish page stays Spanish', 'Smith v. Jones, the filing failed', { page: 'es' }, 'es'],
    ['Spanish written on the English page is answered in Spanish', SPANISH, { page: 'en' }, 'es'],
    ['English written on the Spanish page is answered in English', ENGLISH, { page: 'es' }, 'en'],
    ['"Hola" alone on the English page stays English', 'Hola, my password does not work', { page: 'en' }, 'en'],
  ];
  for (const [what, text, choice, expected] of cases) {
    it(what, () => assert.equal(intakeLanguage(text, choice), expected));
  }
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFrom } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST; 30 days ahead are bookable
const details = { name: 'Casey Caller', phone: '(206) 555-0142', email: 'casey@example.com', topic: 'Cannot upload a PDF' };

describe('callback pages: a day first, then its times, with bad input answered in the page language', () => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    t = await buildTestApp({ now, env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'http://helpdesk.test' } });
  });
  afterEach(() => t.close());

  /** A form page and its CSRF token, in a language (kept by the agent's cookie). */
  async function formPage(language: 'en' | 'es', path = '/callbacks') {
    const agent = request.agent(t.app);
    const page = await agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
    return { agent, page, csrf: csrfTokenFrom(page.text) };
  }

  it('shows the month with bookable days as links, previous/next months, and only the chosen day’s times', async () => {
    const page = await request(t.app).get('/callbacks').expect(200);
    assert.match(page.text, /<table class="month-grid"/);
    assert.match(page.text, /href="\?day=2027-03-11"/);
    assert.doesNotMatch(page.text, /href="\?day=2027-03-13"/, 'a Saturday is not a link');
    assert.doesNotMatch(page.text, /href="\?day=2027-03-09"/, 'yesterday is not a link');
    assert.match(page.text, /href="\?month=2027-04"/);
    assert.doesNotMatch(page.text, /href="\?month=2027-02"/, 'nothing to book before this month');
    const april = await request(t.app).get('/callbacks?month=2027-04').expect(200);
    assert.match(april.text, /href="\?day=2027-04-09"/);
    assert.doesNotMatch(april.text, /href="\?day=2027-04-12"/, 'past the 30 days ahead');
    assert.doesNotMatch(april.text, /href="\?month=2027-05"/);
    const day = await request(t.app).get('/callbacks?day=2027-03-11').expect(200);
    const times = day.text.match(/name="start"/g) ?? [];
    assert.equal(times.length, 28, 'the times of one day');
    assert.match(day.text, /Choose a time on Thursday, March 11/);
    const spanish = await request(t.app).get('/callbacks?day=2027-03-11&lang=es').expect(200);
    assert.match(spanish.text, /Elija una hora el jueves, 11 de marzo/);
    assert.match(spanish.text, /Marzo de 2027/);
    assert.match(spanish.text, />9:15 a\.m\.</);
  });

  for (const [day, code, en, es] of [
    ['2027-06-01', 'outside_range', /You cannot book that day/, /No se puede reservar ese día/],
    ['2027-03-09', 'outside_range', /You cannot book that day/, /No se puede reservar ese día/],
    ['2027-02-30', 'invalid_day', /We did not understand that day/, /No entendimos ese día/],
    ['banana', 'invalid_day', /We did not understand that day/, /No entendimos ese día/],
    ['2027-03-13', 'no_times', /There are no free times that day/, /Ese día no hay horas libres/],
  ] as const) {
    it(`answers ?day=${day} (${code}) with 400, a clear message in either language, and the month to choose from`, async () => {
      const page = await request(t.app)
        .get(`/callbacks?day=${encodeURIComponent(day)}`)
        .expect(400);
      assert.match(page.text, en);
      assert.match(page.text, /href="#day"/, 'the error summary leads to the calendar');
      assert.match(page.text, /href="\?day=2027-03-11"/);
      const spanish = await request(t.app)
        .get(`/callbacks?day=${encodeURIComponent(day)}&lang=es`)
        .expect(400);
      assert.match(spanish.text, es);
    });
  }

  it('refuses a time that is not on the chosen day, and a day out of range, keeping what was typed', async () => {
    for (const language of ['en', 'es'] as const) {
      const { agent, csrf } = await formPage(language, '/callbacks?day=2027-03-11');
      const wrongDay = await agent
        .post('/callbacks')
        .type('form')
        .send({ _csrf: csrf, ...details, day: '2027-03-11', start: '2027-03-12T09:00:00-08:00' })
        .expect(400);
      assert.match(
        wrongDay.text,
        language === 'en' ? /That time is not on the day you chose/ : /Esa hora no es del día que eligió/,
      );
      assert.match(wrongDay.text, /value="Casey Caller"/);
      assert.match(wrongDay.text, /value="Cannot upload a PDF"/);
      assert.match(wrongDay.text, /name="start" value="2027-03-11T09:00:00-08:00"/, 'the chosen day’s times are offered again');
      const farDay = await agent
        .post('/callbacks')
        .type('form')
        .send({ _csrf: csrf, ...details, day: '2027-07-01', start: '2027-07-01T09:00:00-07:00' })
        .expect(400);
      assert.match(farDay.text, language === 'en' ? /You cannot book that day/ : /No se puede reservar ese día/);
      assert.match(farDay.text, /value="casey@example.com"/);
      assert.doesNotMatch(farDay.text, /id="your-details"[^>]*hidden/, 'the typed details stay in view');
      const malformed = await agent
        .post('/callbacks')
        .type('form')
        .send({ _csrf: csrf, ...details, day: 'next tuesday', start: '' })
        .expect(400);
      assert.match(malformed.text, language === 'en' ? /We did not understand that day/ : /No entendimos ese día/);
      assert.match(malformed.text, /value="\(206\) 555-0142"/);
    }
    assert.equal((await t.db('callbacks').count({ n: '*' }))[0].n, 0);
  });

  it('says a full time has just been taken, in the page language, keeps the details and offers the day’s other times', async () => {
    const start = '2027-03-11T10:00:00-08:00';
    for (const email of ['a@example.com', 'b@example.com'])
      await request(t.app)
        .post('/api/callbacks')
        .send({ ...details, email, start })
        .expect(201);
    const { agent, csrf } = await formPage('es', '/callbacks?day=2027-03-11');
    const full = await agent
      .post('/callbacks')
      .type('form')
      .send({ _csrf: csrf, ...details, day: '2027-03-11', start })
      .expect(409);
    assert.match(full.text, /Alguien acaba de reservar esa hora/);
    assert.match(full.text, /value="Casey Caller"/);
    assert.doesNotMatch(full.text, new RegExp(`value="${start}"`), 'the full time is not offered');
    assert.match(full.text, /value="2027-03-11T10:15:00-08:00"/);
  });

  it('books in Spanish: the booking keeps its language and its mail is in Spanish', async () => {
    const { agent, csrf } = await formPage('es', '/callbacks?day=2027-03-11');
    const res = await agent
      .post('/callbacks')
      .type('form')
      .send({ _csrf: csrf, ...details, day: '2027-03-11', start: '2027-03-11T09:15:00-08:00' })
      .expect(303);
    assert.equal((await t.db('callbacks').first()).language, 'es');
    const [confirmation] = await t.db('outbox').where({ kind: 'callback_confirmation' });
    assert.equal(confirmation.subject, 'Su llamada de la mesa de ayuda está reservada');
    assert.match(confirmation.text_body, /Hola, Casey Caller:/);
    assert.match(confirmation.text_body, /Cuándo: jueves, 11 de marzo de 2027, a las 9:15 a\.m\. PST \(hora del Pacífico\)/);
    assert.match(confirmation.html_body, /<html lang="es">/);
    assert.match(confirmation.attachments, /SUMMARY:Llamada de la mesa de ayuda de CM\/ECF/, 'the invitation too');

    // The manage page follows the booking's language in a browser that never chose one.
    const path = new URL(res.headers.location, 'http://x').pathname;
    const fresh = await request(t.app).get(path).set('Accept-Language', 'en').expect(200);
    assert.match(fresh.text, /<html lang="es">/);
    const cancelPage = await agent.get(`${path}/cancel`).expect(200);
    await agent
      .post(`${path}/cancel`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(cancelPage.text) })
      .expect(303);
    const [cancellation] = await t.db('outbox').where({ kind: 'callback_cancelled' });
    assert.equal(cancellation.subject, 'Su llamada de la mesa de ayuda está cancelada');
    assert.match(cancellation.text_body, /Esta es la llamada que ya no vamos a hacer/);
  });

  it('asks once before cancelling; a cancelled booking says so, offers to book again and never says “We will call”', async () => {
    const booked = await request(t.app)
      .post('/api/callbacks')
      .send({ ...details, start: '2027-03-11T09:00:00-08:00' })
      .expect(201);
    const path = new URL(booked.body.manageUrl).pathname;
    const agent = request.agent(t.app);
    const manage = await agent.get(path).expect(200);
    assert.match(manage.text, new RegExp(`href="${path}/cancel"`), 'cancelling starts with a link to a question');
    const question = await agent.get(`${path}/cancel`).expect(200);
    assert.match(question.text, /Cancel your phone callback\?/);
    assert.match(question.text, /Thursday, March 11, 2027 at 9:00 a\.m\. PST/);
    assert.equal((await t.db('callbacks').first()).status, 'booked', 'asking cancels nothing');
    await agent
      .post(`${path}/cancel`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(question.text) })
      .expect(303);
    const cancelled = await agent.get(`${path}?done=booked`).expect(200);
    assert.match(cancelled.text, /This call is cancelled/);
    assert.match(cancelled.text, /href="\/callbacks"/);
    assert.doesNotMatch(cancelled.text, /We will call/);
    assert.doesNotMatch(cancelled.text, /Your callback is booked/, 'an old notice does not contradict the page');
    assert.doesNotMatch(cancelled.text, /name="start"/);
    await agent.get(`${path}/cancel`).expect(303);
    const spanish = await agent.get(`${path}?lang=es`).expect(200);
    assert.match(spanish.text, /Esta llamada está cancelada/);
    assert.doesNotMatch(spanish.text, /Le llamaremos/);
  });

  it('reschedules with the same picker and refuses a time not on the chosen day', async () => {
    const booked = await request(t.app)
      .post('/api/callbacks')
      .send({ ...details, start: '2027-03-11T09:00:00-08:00' })
      .expect(201);
    const path = new URL(booked.body.manageUrl).pathname;
    const agent = request.agent(t.app);
    const page = await agent.get(`${path}?day=2027-03-15`).expect(200);
    assert.match(page.text, /value="2027-03-15T09:00:00-07:00"/);
    const wrong = await agent
      .post(`${path}/reschedule`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), day: '2027-03-15', start: '2027-03-16T09:00:00-07:00' })
      .expect(400);
    assert.match(wrong.text, /That time is not on the day you chose/);
    await agent
      .post(`${path}/reschedule`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), day: '2027-03-15', start: '2027-03-15T09:00:00-07:00' })
      .expect(303);
    assert.equal((await t.db('callbacks').first()).slot_start, '2027-03-15T16:00:00.000Z');
  });
});

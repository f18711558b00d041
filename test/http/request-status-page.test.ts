import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadCourtProfile } from '../../src/config/court-profile';
import { referralsText } from '../../src/referrals/referrals';
import { buildTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFrom, ticketInput } from '../helpers/factories';

const WAWD = path.join(__dirname, '..', '..', 'profiles', 'wawd.json');
// Thursday 3 December 2026, 10:00 a.m. Pacific: the helpdesk (08:00–17:00) is open.
const THURSDAY_10AM = new Date('2026-12-03T18:00:00Z');

const LEGAL_ADVICE = {
  subject: 'Should I appeal?',
  body: 'The judge dismissed my case yesterday. Should I appeal or file a motion for reconsideration, and what is my deadline?',
};
const SPANISH_JUDGE = {
  subject: 'Carta para la jueza',
  body: 'Por favor entreguen esta carta a la jueza de mi caso antes de la audiencia del lunes. Es muy importante que la lea.',
};

const flat = (html: string) => html.replace(/\s+/g, ' ');

describe('the filer status page: referrals, next step, expected answer, callbacks and language', () => {
  let t: TestApp;
  let clock: Date;
  beforeEach(async () => {
    clock = THURSDAY_10AM;
    t = await buildTestApp({ now: () => clock, env: { COURT_PROFILE: WAWD } });
  });
  afterEach(() => t.close());

  async function submit(input: Record<string, string>, lang = 'en') {
    const agent = request.agent(t.app);
    const form = await agent.get(`/help?lang=${lang}`).expect(200);
    const sent = await agent
      .post('/help')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), ...ticketInput(input), confirmed: 'yes' })
      .expect(303);
    return {
      agent,
      received: sent.headers.location as string,
      status: (sent.headers.location as string).replace(/\/received$/, ''),
    };
  }

  it('shows a refusal with the court’s referrals for that kind, one next step, and no competing boxes', async () => {
    const { agent, received, status } = await submit(LEGAL_ADVICE);
    for (const page of [received, status]) {
      const text = flat((await agent.get(page).expect(200)).text);
      assert.match(text, /We cannot help with this request/, page);
      assert.match(text, /The court suggests:/);
      assert.match(text, /<strong>Lawyer referral service of the state bar \(example\)<\/strong>/);
      assert.match(text, /<a href="tel:8665550150">\(866\) 555-0150<\/a>/);
      assert.match(text, /<a href="https:\/\/lawyer-referral\.example\.org\/">/);
      assert.match(text, /Federal Pro Se Clinic \(example\)/, 'a referral for all refusals');
      assert.doesNotMatch(text, /Clerk&#39;s Office intake counter/, 'not the one for messages to a judge');
      assert.equal(text.match(/<form /g)?.length, 1, 'one form: ask for a review');
      assert.match(text, /action="\/requests\/[^"]+\/review"/);
      assert.match(text, /This is a technical question – ask for a review/);
      assert.doesNotMatch(text, /Send reply|close the request/);
    }
  });

  it('shows a Spanish refusal’s referrals with the surrounding words in Spanish and the names as written', async () => {
    const { agent, status } = await submit(SPANISH_JUDGE, 'es');
    const text = flat((await agent.get(status).expect(200)).text);
    assert.match(text, /<html lang="es">/);
    assert.match(text, /El tribunal le sugiere:/);
    assert.match(text, /Clerk&#39;s Office intake counter \(example\)/);
    assert.match(text, /Teléfono: <a href="tel:8665550152">/);
    assert.doesNotMatch(text, /Lawyer referral service/, 'the legal-advice referral is not for this refusal');
    assert.match(text, /Es una pregunta técnica: pedir una revisión/);
  });

  it('gives the refusal email a plain-text block of the referrals, in the filer’s language', () => {
    const profile = loadCourtProfile(WAWD);
    const text = referralsText(profile.referrals, 'judge_contact', 'es');
    assert.equal(
      text,
      [
        'El tribunal le sugiere:',
        '  - Federal Pro Se Clinic (example): teléfono (866) 555-0151, https://prose-clinic.example.org/',
        "  - Clerk's Office intake counter (example): teléfono (866) 555-0152",
      ].join('\n'),
    );
    assert.equal(referralsText([], 'legal_advice', 'en'), '', 'nothing when the court names none');
  });

  it('refuses a profile whose referral is not a web address or has no kind', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'profile-'));
    const file = path.join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ referrals: [{ name: 'Legal aid', url: 'javascript:alert(1)', for: 'all' }, { name: 'X' }] }),
    );
    assert.throws(
      () => loadCourtProfile(file),
      /referrals\.0\.url: must be a web address starting with https:\/\/[\s\S]*referrals\.1\.for/,
    );
  });

  it('says when to expect the first answer, counted in business hours, and what happens next', async () => {
    const { agent, status } = await submit({ subject: 'Cannot log in', body: 'My CM/ECF login fails after the password reset.' });
    const text = flat((await agent.get(status).expect(200)).text);
    assert.match(text, /What happens next/);
    assert.match(text, /answer by Thursday, December 3, 2026 at 12:00 PM PST\. We count only the hours the helpdesk is open\./);
    assert.match(text, /enctype="multipart\/form-data"/, 'the reply form takes files');
  });

  it('says the answer is late, without a time, once the target has passed', async () => {
    const { agent, status } = await submit({ subject: 'Cannot log in', body: 'My CM/ECF login fails after the password reset.' });
    clock = new Date('2026-12-03T21:00:00Z');
    const text = flat((await agent.get(status).expect(200)).text);
    assert.match(text, /We are taking longer than usual to answer\. Your request is in our queue/);
  });

  it('shows the phone call booked under the same reference', async () => {
    const { agent, status, received } = await submit({
      subject: 'Cannot log in',
      body: 'My CM/ECF login fails after the password reset.',
    });
    const reference = flat((await agent.get(received).expect(200)).text).match(/HD-\d{4}-\d{6}/)?.[0] as string;
    const { slots } = await t.services.callbacks.slots('2026-12-04', 1);
    await t.services.callbacks.book({
      name: 'Pat Filer',
      phone: '(206) 555-0142',
      email: ticketInput().email,
      start: slots[0].start,
      ticketReference: reference,
    });
    const text = flat((await agent.get(status).expect(200)).text);
    assert.match(
      text,
      /You have a phone call booked about this request:<\/p> <ul><li><strong>Friday, December 4, 2026 at 8:00 AM PST<\/strong>/,
    );
  });

  it('is shown in the request’s language unless the filer chose another', async () => {
    const { status } = await submit(
      { subject: 'No puedo entrar al sistema', body: 'Cuando intento entrar a CM/ECF con mi contraseña nueva me sale un error.' },
      'es',
    );
    const fresh = await request(t.app).get(status).expect(200);
    assert.match(fresh.text, /<html lang="es">/, 'a new browser sees the request’s language');
    assert.match(fresh.text, /Qué pasa ahora/);
    const english = await request(t.app).get(`${status}?lang=en`).expect(200);
    assert.match(english.text, /<html lang="en">/);
    assert.match(english.text, /What happens next/);
    const kept = await request(t.app).get(status).set('Cookie', 'lang=en').expect(200);
    assert.match(kept.text, /<html lang="en">/, 'a language chosen earlier (its cookie) wins');
    const unknown = await request(t.app).get(`${status}?lang=xx`).expect(200);
    assert.match(unknown.text, /<html lang="es">/, 'an unknown ?lang= is no choice');
  });

  it('writes a reply’s errors in the language the page comes back in', async () => {
    const { status } = await submit(
      { subject: 'No puedo entrar al sistema', body: 'Cuando intento entrar a CM/ECF con mi contraseña nueva me sale un error.' },
      'es',
    );
    const agent = request.agent(t.app);
    const page = await agent.get(status).expect(200);
    const res = await agent
      .post(`${status}/replies`)
      .field('_csrf', csrfTokenFrom(page.text))
      .field('body', '')
      .attach('attachments', Buffer.from('MZ\0\0'), { filename: 'captura.png', contentType: 'image/png' })
      .expect(400);
    assert.match(res.text, /<html lang="es">/);
    assert.match(res.text, /El archivo “captura\.png” no es realmente un archivo PNG/);
    assert.doesNotMatch(res.text, /Please write your reply/);
  });

  it('falls back to the words of an old request that has no recorded language', async () => {
    const { status } = await submit(
      { subject: 'No puedo entrar al sistema', body: 'Cuando intento entrar a CM/ECF con mi contraseña nueva me sale un error.' },
      'es',
    );
    await t.db('tickets').update({ language: null });
    const page = await request(t.app).get(status).expect(200);
    assert.match(page.text, /<html lang="es">/);
  });
});

import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { PRIVACY_WARNING, REFUSAL_TEXT } from '../../src/policy/refusal-messages';
import { buildTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFrom, ticketInput } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

// Texts POST /api/triage answered with language "es" and the outcome each test needs.
const SPANISH_LEGAL_ADVICE = {
  subject: 'Fecha límite de mi caso',
  body: '¿Cuál es la fecha límite para responder a la demanda en mi caso? ¿Cuántos días tengo? Mi número de Seguro Social es 123-45-6789.',
};
const SPANISH_JUDGE_CONTACT = {
  subject: 'Carta para el juez',
  body: 'Por favor, envíe mi carta al juez antes de la audiencia. Es muy importante que el juez la lea.',
};
// Accepted, with the legal question declined (a mixed request).
const SPANISH_MIXED = {
  subject: 'Plazo',
  body: '¿Cuál es la fecha límite para responder a la demanda en mi caso? ¿Cuántos días tengo? Además, mi PDF no se sube a CM/ECF.',
};

const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

describe('refusals in the language of the request', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'http://help.court.example' } });
  });
  afterEach(() => t.close());

  async function deliveredMail(): Promise<ParsedMail> {
    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(1);
    assert.equal(smtp.messages.length, 1);
    return simpleParser(smtp.messages[0].raw);
  }

  it('answers a Spanish request for legal advice with the Spanish refusal, in the API answer and by email', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ ...SPANISH_LEGAL_ADVICE, name: 'María López', email: 'maria@example.com' }))
      .expect(422);
    const refusal = REFUSAL_TEXT.es.legal_advice;
    assert.equal(res.body.reason, 'legal_advice');
    assert.equal(res.body.message, `${refusal.summary} ${refusal.explanation}`);
    assert.equal(res.body.privacyWarning, PRIVACY_WARNING.es);

    const mail = await deliveredMail();
    assert.equal(mail.subject, `[${res.body.reference}] No podemos ayudarle con esta solicitud: Fecha límite de mi caso`);
    const text = flat(mail.text);
    assert.match(text, /Hola, María López:/);
    assert.ok(text.includes(refusal.summary), text);
    assert.ok(text.includes(refusal.explanation), text);
    for (const place of refusal.whereToGo) assert.ok(text.includes(place), place);
    assert.ok(text.includes(`http://help.court.example${refusal.policyAnswer}`));
    assert.ok(text.includes(res.body.statusUrl), 'the private link to ask for another look');
    assert.ok(text.includes(PRIVACY_WARNING.es), 'the privacy warning in Spanish');
    assert.doesNotMatch(text, /cannot give legal advice|Where to go instead|Hello/);
    const html = mail.html || '';
    assert.match(html, /<html lang="es">/);
    assert.ok(html.includes(refusal.summary));

    const page = await request(t.app).get(new URL(res.body.statusUrl).pathname).expect(200);
    assert.match(page.text, /<div class="callout callout-warning" role="status" lang="es">/);
    assert.ok(page.text.includes(PRIVACY_WARNING.es), 'the privacy warning in Spanish on the status page');
  });

  it('shows a Spanish request to pass a letter to the judge its refusal in Spanish on the web pages', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/help').expect(200);
    const sent = await agent
      .post('/help')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), ...ticketInput(SPANISH_JUDGE_CONTACT), confirmed: 'yes' })
      .expect(303);
    const refusal = REFUSAL_TEXT.es.judge_contact;
    for (const path of [sent.headers.location, sent.headers.location.replace(/\/received$/, '')]) {
      const page = await agent.get(path).expect(200);
      const text = page.text.replace(/\s+/g, ' ');
      assert.match(text, /<div class="panel-refusal" role="status" lang="es">/, path);
      assert.ok(text.includes(refusal.summary), path);
      assert.ok(text.includes(refusal.explanation), path);
      for (const place of refusal.whereToGo) assert.ok(text.includes(place), place);
      assert.ok(text.includes(`href="${refusal.policyAnswer}"`));
      assert.ok(!text.includes(REFUSAL_TEXT.en.judge_contact.explanation), 'not the English refusal');
    }

    const mail = await deliveredMail();
    assert.match(flat(mail.text), new RegExp(refusal.summary.replace(/[.]/g, '\\.')));
  });

  it('declines the legal part of a mixed Spanish request in Spanish: API answer, acknowledgement and status page', async () => {
    const res = await request(t.app).post('/api/tickets').send(ticketInput(SPANISH_MIXED)).expect(201);
    const declined = REFUSAL_TEXT.es.legal_advice;
    assert.deepEqual(res.body.declined, [declined.summary]);

    const mail = await deliveredMail();
    assert.equal(mail.subject, `[${res.body.reference}] Recibimos su solicitud: Plazo`);
    const text = flat(mail.text);
    assert.match(text, /Hola, Pat Filer:/);
    assert.ok(text.includes(declined.summary), text);
    assert.ok(text.includes(declined.explanation), text);
    for (const place of declined.whereToGo) assert.ok(text.includes(place), place);
    assert.ok(text.includes(res.body.statusUrl));
    assert.doesNotMatch(text, /cannot give legal advice|We received your request/);
    assert.match(mail.html || '', /<html lang="es">/);

    const page = await request(t.app).get(new URL(res.body.statusUrl).pathname).expect(200);
    assert.match(page.text, /<div class="callout" role="status" lang="es">/);
    assert.ok(page.text.includes(declined.summary));
  });

  it('keeps English refusals for English requests', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'Should I appeal?',
          body: 'The court dismissed my case. Should I appeal or file a new case? What are my chances?',
        }),
      )
      .expect(422);
    const refusal = REFUSAL_TEXT.en.legal_advice;
    assert.equal(res.body.message, `${refusal.summary} ${refusal.explanation}`);
    const page = await request(t.app).get(new URL(res.body.statusUrl).pathname).expect(200);
    assert.match(page.text, /<div class="panel-refusal" role="status">/);
    assert.ok(page.text.includes(refusal.summary));

    const mail = await deliveredMail();
    assert.equal(mail.subject, `[${res.body.reference}] We cannot help with this request: Should I appeal?`);
    const text = flat(mail.text);
    assert.match(text, /Hello Pat Filer,/);
    assert.ok(text.includes(refusal.explanation));
    assert.match(text, /Where to go instead:/);
    assert.match(mail.html || '', /<html lang="en">/);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, ticketInput } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

const PUBLIC_URL = 'http://help.court.example';
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');
// Sentences of the English acknowledgement and frame that must not appear in a Spanish one.
const ENGLISH =
  /Hello|We received your request|What happens next|Keep this link|This message was sent automatically|CM\/ECF Helpdesk|Phone:/;

describe('filer mail in the language recorded with the request', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL } });
  });
  afterEach(() => t.close());

  async function delivered(count: number): Promise<ParsedMail[]> {
    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(count);
    assert.equal(smtp.messages.length, count);
    return Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
  }

  it('records `language: "es"` from the API and sends the acknowledgement and a staff reply in Spanish', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send({ ...ticketInput({ name: 'María López', email: 'maria@example.com' }), language: 'es' })
      .expect(201);
    assert.equal(res.body.language, 'es');
    assert.equal((await t.db('tickets').first()).language, 'es');

    const [ack] = await delivered(1);
    assert.equal(ack.subject, `[${res.body.reference}] Recibimos su solicitud: Cannot log in to CM/ECF`);
    const text = flat(ack.text);
    assert.match(text, /Hola, María López:/);
    assert.match(text, /Su referencia: HD-2026-\d{6}/);
    assert.match(text, /Mesa de ayuda de CM\/ECF/);
    assert.ok(text.includes(res.body.statusUrl));
    assert.doesNotMatch(text, ENGLISH);
    assert.match(ack.html || '', /<html lang="es">/);

    // A staff member answers in English words of their own; the frame around them is the filer's language.
    smtp.clear();
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const ticket = await t.db('tickets').first();
    await t.services.work.reply(res.body.reference, staff as never, ticket.version, 'Please try again now.');
    const [reply] = await delivered(1);
    assert.match(flat(reply.text), new RegExp(`Referencia: ${res.body.reference}\\. Para contestar, responda a este correo`));
    assert.doesNotMatch(flat(reply.text), /reply to this email to answer/);
  });

  it('names the court’s referrals in a refusal email, in the filer’s language, text and HTML', async () => {
    await t.close();
    t = await buildTestApp({
      env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL, COURT_PROFILE: path.join(__dirname, '..', '..', 'profiles', 'wawd.json') },
    });
    const res = await request(t.app)
      .post('/api/tickets')
      .send({
        ...ticketInput({
          subject: 'Pregunta',
          body: '¿Me puede decir si debo demandar a mi arrendador y qué argumentos usar en mi demanda?',
        }),
        language: 'es',
      })
      .expect(422);
    assert.equal(res.body.outcome, 'rejected');
    const [refusal] = await delivered(1);
    const text = flat(refusal.text);
    assert.match(text, /Lawyer referral service of the state bar \(example\): teléfono \(866\) 555-0150/);
    assert.match(text, /Federal Pro Se Clinic \(example\)/);
    assert.doesNotMatch(text, /Clerk's Office intake counter/, 'a referral for judge contact only is left out');
    assert.match(refusal.html || '', /<a href="https:\/\/prose-clinic\.example\.org\/">/);
  });

  it('refuses a language the helpdesk does not have, and reads the language from the text when none is given', async () => {
    const bad = await request(t.app)
      .post('/api/tickets')
      .send({ ...ticketInput(), language: 'fr' })
      .expect(400);
    assert.deepEqual(
      bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['language', 'invalid']],
    );
    assert.equal(
      await t
        .db('tickets')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );

    const spanish = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'No puedo entrar',
          body: 'Hola, no puedo entrar a mi cuenta de CM/ECF desde ayer. Me sale un error cuando pongo la contraseña.',
        }),
      )
      .expect(201);
    assert.equal(spanish.body.language, 'es');
    const english = await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
    assert.equal(english.body.language, 'en');
  });

  it('records the Spanish page’s language for a request sent from it, and emails the outage receipt in Spanish', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/help?lang=es').expect(200);
    // English words typed on the Spanish page: the page's language wins unless the text is clearly the other one.
    await agent
      .post('/help')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        ...ticketInput({ subject: 'PDF upload', body: 'Error 500 on upload.' }),
        suggestionsSeen: 'yes',
      })
      .expect(303);
    assert.equal((await t.db('tickets').first()).language, 'es');

    const report = await agent.get('/status/report').expect(200);
    await agent
      .post('/status/report')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(report.text),
        scope: 'cmecf',
        description: 'El botón Enviar no funciona.',
        name: 'Ana Ruiz',
        email: 'ana@example.com',
      })
      .expect(303);
    const mails = await delivered(2);
    const receipt = mails.find((m) => /Comprobante de su informe/.test(m.subject ?? ''));
    assert.ok(receipt, mails.map((m) => m.subject).join(' | '));
    assert.match(receipt.subject ?? '', /Comprobante de su informe: CM\/ECF \(presentación electrónica\)/);
    const text = flat(receipt.text);
    assert.match(text, /Hola, Ana Ruiz:/);
    assert.match(
      text,
      /Recibido por la mesa de ayuda: \p{L}+, \d+ de \p{L}+ de 20\d\d, a las? \d+:\d\d [ap]\.m\. \w+ \(hora del/u,
    );
    assert.doesNotMatch(text, /This is the receipt|About deadlines|Received by the helpdesk/);
  });
});

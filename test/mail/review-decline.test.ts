import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { REFUSAL_TEXT } from '../../src/policy/refusal-messages';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildReviewTicket, buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

describe('declining a request after review, by email', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.stop());
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'http://help.court.example' } });
    agent = await signedInAgent(t, await buildStaff(t, { name: 'Sam Agent' }));
  });
  afterEach(() => t.close());

  async function act(reference: string, action: string, fields: Record<string, string> = {}) {
    const page = await agent.get(`/staff/tickets/${reference}`).expect(200);
    return agent
      .post(`/staff/tickets/${reference}/${action}`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)?.[1], ...fields });
  }

  for (const category of ['legal_advice', 'judge_contact'] as const) {
    it(`sends the filer the refusal a refused request gets (${category})`, async () => {
      const { ticket } = await buildReviewTicket(t, {
        name: "Pat O'Brien",
        email: 'pat.obrien@example.com',
        subject: 'What should I do next',
        category,
      });
      const res = await act(ticket.reference, 'decline', { category });
      assert.equal(res.status, 303);
      await t.services.mail.sender?.deliverDue();
      await smtp.waitFor(1);
      assert.equal(smtp.messages.length, 1);
      assert.deepEqual(smtp.messages[0].envelopeTo, ['pat.obrien@example.com']);
      const mail = await simpleParser(smtp.messages[0].raw);
      assert.equal(mail.subject, `[${ticket.reference}] We cannot help with this request: What should I do next`);
      const text = (mail.text ?? '').replace(/\s+/g, ' ');
      const refusal = REFUSAL_TEXT.en[category];
      assert.ok(text.includes(refusal.summary), text);
      assert.ok(text.includes(refusal.explanation), text);
      for (const place of refusal.whereToGo) assert.ok(text.includes(place), place);
      assert.ok(text.includes(`http://help.court.example${refusal.policyAnswer}`));
      assert.match(text, /This is a technical question/, 'the filer is told how to ask for another look');
      assert.match(text, /Hello Pat O'Brien,/);
      assert.match(mail.html || '', new RegExp(refusal.summary.replace(/[.]/g, '\\.')));

      const page = await agent.get(res.headers.location).expect(200);
      assert.match(page.text, /the filer was emailed the refusal/);
      assert.match(page.text, /We cannot help with this request: What should I do next: sent/, 'listed under mail sent');
    });
  }

  it('sends the refusal in Spanish when the request was written in Spanish', async () => {
    const { ticket } = await buildReviewTicket(t, {
      name: 'María López',
      email: 'maria@example.com',
      subject: '¿Debo apelar?',
      body: 'La corte desestimó mi caso. ¿Debo apelar o presentar un caso nuevo? ¿Qué posibilidades tengo de ganar?',
    });
    assert.equal((await act(ticket.reference, 'decline', { category: 'legal_advice' })).status, 303);
    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(1);
    const mail = await simpleParser(smtp.messages[0].raw);
    assert.equal(mail.subject, `[${ticket.reference}] No podemos ayudarle con esta solicitud: ¿Debo apelar?`);
    const text = (mail.text ?? '').replace(/\s+/g, ' ');
    const refusal = REFUSAL_TEXT.es.legal_advice;
    assert.ok(text.includes(refusal.summary), text);
    assert.ok(text.includes(refusal.explanation), text);
    for (const place of refusal.whereToGo) assert.ok(text.includes(place), place);
    assert.ok(text.includes(`http://help.court.example${refusal.policyAnswer}`));
    assert.match(text, /Hola, María López:/);
    assert.doesNotMatch(text, /cannot give legal advice/);
    assert.match(mail.html || '', /<html lang="es">/);
  });

  it('sends nothing when staff dismiss the review flag', async () => {
    const { ticket } = await buildReviewTicket(t);
    assert.equal((await act(ticket.reference, 'dismiss-review')).status, 303);
    await t.services.mail.sender?.deliverDue();
    assert.equal((await t.db('outbox')).length, 0);
    assert.equal(smtp.messages.length, 0);
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent, ticketInput } from '../helpers/factories';

describe('intake policy on the web form and the API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  it('refuses a request to forward a letter to the judge with 422, and still stores it as rejected with its reasons', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'Letter for Judge Alsup',
          body: 'Please forward my attached letter to Judge Alsup before the hearing.',
        }),
      )
      .expect(422);
    assert.equal(res.body.outcome, 'rejected');
    assert.equal(res.body.reason, 'judge_contact');
    assert.match(res.body.reference, /^HD-\d{4}-\d{6}$/);
    assert.match(res.body.message, /cannot pass messages to a judge/);
    const row = await t
      .db('tickets')
      .where({ id: Number(res.body.reference.slice(-6)) })
      .first();
    assert.equal(row.status, 'rejected');
    assert.deepEqual(JSON.parse(row.flags), ['judge_contact']);
    assert.ok(JSON.parse(row.policy_reasons).length > 0);
    const message = await t.db('ticket_messages').where({ ticket_id: row.id }).first();
    assert.match(message.body_text, /forward my attached letter/, 'nothing the filer sent is lost');
  });

  it('refuses a request for legal advice', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'Should I appeal?',
          body: 'The court dismissed my case. Should I appeal or file a new case? What are my chances?',
        }),
      )
      .expect(422);
    assert.equal(res.body.reason, 'legal_advice');
  });

  for (const body of [
    'Which event do I use for a motion to extend time?',
    "The judge's initials on my case number are wrong in the NEF.",
    'Where are the judge’s standing orders on the website?',
  ]) {
    it(`accepts the CM/ECF question "${body}"`, async () => {
      const res = await request(t.app)
        .post('/api/tickets')
        .send(ticketInput({ subject: 'CM/ECF question', body }))
        .expect(201);
      assert.equal(res.body.status, 'new');
    });
  }

  it('accepts a mixed request, flags it, and declines the refused part', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          subject: 'Upload error',
          body: 'My PDF will not upload in CM/ECF, it says the file is too large. Also, do you think the judge will grant my motion?',
        }),
      )
      .expect(201);
    assert.ok(res.body.flags.includes('legal_advice'));
    assert.match(res.body.declined[0], /cannot give legal advice/);
    const page = await request(t.app).get(new URL(res.body.statusUrl).pathname).expect(200);
    assert.match(page.text, /We will answer the technical part of your request/);
  });

  it('masks a Social Security number and a birth date on API intake, warns the filer, and keeps the original for administrators only', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(
        ticketInput({
          body: 'My SSN is 123-45-6789 and my date of birth is 03/14/1985. Case 3:20-cv-01234-JST. Call (206) 555-0142.',
        }),
      )
      .expect(201);
    assert.ok(res.body.flags.includes('privacy_redacted'));
    assert.match(res.body.privacyWarning, /5\.2/);
    assert.deepEqual(
      res.body.caseNumbers.map((c: { number: string }) => c.number),
      ['3:20-cv-01234'],
    );
    const id = Number(res.body.reference.slice(-6));
    const stored = await t.db('ticket_messages').where({ ticket_id: id }).first();
    assert.doesNotMatch(stored.body_text, /123-45-6789|03\/14/);
    assert.match(stored.body_text, /6789/);
    assert.match(stored.body_text, /1985/);
    assert.match(stored.body_text, /\(206\) 555-0142/, 'phone numbers are not mistaken for private numbers');
    const page = await request(t.app).get(new URL(res.body.statusUrl).pathname).expect(200);
    assert.doesNotMatch(page.text, /123-45-6789/);
    assert.match(page.text, /Private information hidden/);

    const agent = await signedInAgent(t, await buildStaff(t));
    const agentView = await agent.get(`/staff/tickets/${res.body.reference}`).expect(200);
    assert.doesNotMatch(agentView.text, /123-45-6789/);
    const admin = await signedInAgent(t, await buildStaff(t, { role: 'admin' }));
    const adminView = await admin.get(`/staff/tickets/${res.body.reference}`).expect(200);
    assert.match(adminView.text, /123-45-6789/);
  });

  it('masks on the web form too, and in replies', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/help');
    const res = await agent
      .post('/help')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        ...ticketInput({ body: 'Card 4111 1111 1111 1111 was charged twice for the filing fee.' }),
        confirmed: 'yes',
      })
      .expect(303);
    const statusPath = res.headers.location.replace(/\/received$/, '');
    const page = await agent.get(statusPath);
    assert.doesNotMatch(page.text, /4111 1111 1111 1111/);
    await agent
      .post(`${statusPath}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: 'My SSN is 987-65-4321.' })
      .expect(303);
    const after = await agent.get(statusPath);
    assert.doesNotMatch(after.text, /987-65-4321/);
    assert.match(after.text, /4321/);
  });

  it('lets the filer say a refusal was a technical question, which puts it back in front of staff', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ subject: 'Note for chambers', body: 'Can you tell the judge I will be late to the hearing?' }))
      .expect(422);
    const statusPath = new URL(res.body.statusUrl).pathname;
    const agent = request.agent(t.app);
    const page = await agent.get(statusPath).expect(200);
    assert.match(page.text, /cannot pass messages to a judge/);
    await agent
      .post(`${statusPath}/review`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), explanation: 'I only need to know how to file a notice of lateness in CM/ECF.' })
      .expect(303);
    const row = await t
      .db('tickets')
      .where({ id: Number(res.body.reference.slice(-6)) })
      .first();
    assert.equal(row.status, 'new');
    assert.ok(JSON.parse(row.flags).includes('review_requested'));
  });

  it('shows refused requests in the staff Rejected view, and a staff member can reinstate one (audited)', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ subject: 'Give this to the judge', body: 'Please deliver my exhibit to chambers today.' }))
      .expect(422);
    const staff = await buildStaff(t, { role: 'supervisor' }); // reinstating is a supervisor's
    const agent = await signedInAgent(t, staff);
    const rejected = await agent.get('/staff?status=rejected').expect(200);
    assert.match(rejected.text, new RegExp(res.body.reference));
    const active = await agent.get('/staff').expect(200);
    assert.doesNotMatch(active.text, new RegExp(res.body.reference));
    const page = await agent.get(`/staff/tickets/${res.body.reference}`).expect(200);
    assert.match(page.text, /Refused by the intake policy/);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
    await agent
      .post(`/staff/tickets/${res.body.reference}/reinstate`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version })
      .expect(303);
    const id = Number(res.body.reference.slice(-6));
    assert.equal((await t.db('tickets').where({ id }).first()).status, 'open');
    const event = await t.db('ticket_events').where({ ticket_id: id, action: 'reinstated' }).first();
    assert.equal(event.actor, `staff:${staff.id}`);
  });
});

describe('POST /api/triage', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('answers the decision and the reasons without storing anything', async () => {
    const res = await request(t.app)
      .post('/api/triage')
      .send({ subject: 'Letter', body: 'Please forward this letter to Judge Chen.' })
      .expect(200);
    assert.equal(res.body.decision, 'judge_contact');
    assert.ok(res.body.reasons[0].rule);
    assert.match(res.body.reasons[0].excerpt, /forward/i);
    const ok = await request(t.app)
      .post('/api/triage')
      .send({ body: 'Which event do I use for a motion to extend time?' })
      .expect(200);
    assert.equal(ok.body.decision, 'accept');
    assert.deepEqual(ok.body.reasons, []);
    assert.deepEqual(ok.body.declined, []);
    assert.equal(ok.body.review, false);
    assert.equal(ok.body.language, 'en');
    assert.ok(ok.body.confidence > 0.5 && ok.body.confidence <= 1);
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0);
  });

  it('answers in the SPEC §8 shape: Spanish recognised, a mixed request with its declined part', async () => {
    const es = await request(t.app)
      .post('/api/triage')
      .send({ body: 'Hola, ¿me puede decir si debo apelar la decisión del juez en mi caso? No sé qué hacer.' })
      .expect(200);
    assert.equal(es.body.language, 'es');
    assert.ok(es.body.decision !== 'accept' || es.body.review, 'a Spanish request for advice is refused or reviewed');
    const mixed = await request(t.app)
      .post('/api/triage')
      .send({
        subject: 'Upload error',
        body: 'My PDF will not upload in CM/ECF, it says the file is too large. Also, do you think the judge will grant my motion?',
      })
      .expect(200);
    assert.equal(mixed.body.decision, 'accept');
    assert.deepEqual(mixed.body.declined, ['legal_advice']);
  });

  it('decides on empty, very long and mixed-script text rather than answering an error', async () => {
    for (const body of ['', 'x'.repeat(100_000), 'Помогите 帮帮我 مساعدة help ¿debo apelar?']) {
      const res = await request(t.app).post('/api/triage').send({ body }).expect(200);
      assert.ok(['accept', 'legal_advice', 'judge_contact'].includes(res.body.decision));
    }
  });

  it('refuses a missing body with 400 and a field code', async () => {
    const res = await request(t.app).post('/api/triage').send({ subject: 'x' }).expect(400);
    assert.deepEqual(
      res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['body', 'required']],
    );
  });
});

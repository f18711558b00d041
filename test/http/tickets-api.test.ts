import assert from 'node:assert/strict';
import request from 'supertest';
import { loadScopeRules } from '../../src/policy/scope-guard';
import type { Options } from 'express-rate-limit';
import { databaseRateLimitStore } from '../../src/http/security';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ticketInput } from '../helpers/factories';

describe('POST /api/tickets', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  it('keeps the judge initials written in the description when the case-number field has the bare number', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ body: 'The docket for 2:24-cv-00123-JLR will not open.', caseNumber: '2:24-cv-123' }))
      .expect(201);
    assert.deepEqual(res.body.caseNumbers, [
      { number: '2:24-cv-00123', office: 2, year: 24, type: 'cv', sequence: 123, judgeInitials: ['JLR'] },
    ]);
  });

  it('creates a ticket and answers with its reference, case numbers and private status link', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ subject: 'NEF missing in 3:20-cv-1234-JST', caseNumber: '1:17-cr-201-ABJ-2', phone: '(206) 555-0142' }))
      .expect(201);
    assert.match(res.body.reference, /^HD-\d{4}-\d{6}$/);
    assert.equal(res.body.status, 'new');
    assert.deepEqual(
      res.body.caseNumbers.map((c: { number: string }) => c.number),
      ['1:17-cr-00201', '3:20-cv-01234'],
    );
    assert.deepEqual(res.body.caseNumbers[0], {
      number: '1:17-cr-00201',
      office: 1,
      year: 17,
      type: 'cr',
      sequence: 201,
      judgeInitials: ['ABJ'],
      defendant: 2,
    });
    assert.deepEqual(res.body.caseNumbers[1].judgeInitials, ['JST']);
    assert.ok(Array.isArray(res.body.suggestions));
    const statusPath = new URL(res.body.statusUrl).pathname;
    const page = await request(t.app).get(statusPath).expect(200);
    assert.match(page.text, /NEF missing in 3:20-cv-1234-JST/);
    assert.match(page.text, new RegExp(res.body.reference));
    const row = await t
      .db('tickets')
      .where({ id: Number(res.body.reference.slice(-6)) })
      .first();
    assert.equal(row.requester_phone, '+12065550142');
    assert.equal(row.channel, 'api');
    assert.notEqual(row.status_token_hash, statusPath.split('/').pop(), 'only the hash of the token is stored');
  });

  it('gives each ticket its own reference', async () => {
    const a = await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
    const b = await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
    assert.notEqual(a.body.reference, b.body.reference);
    assert.notEqual(a.body.statusUrl, b.body.statusUrl);
  });

  it('answers 400 with a code for every invalid field and stores nothing', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send({ name: '', email: 'not-an-email', phone: '12', subject: 'x'.repeat(201), body: '   ', caseNumber: 'my case' })
      .expect(400);
    const codes = Object.fromEntries(res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    assert.deepEqual(codes, {
      name: 'required',
      email: 'invalid_email',
      phone: 'invalid_phone',
      subject: 'too_long',
      body: 'required',
      caseNumber: 'invalid_case_number',
    });
    for (const error of res.body.errors) assert.ok(error.message.length > 0);
    assert.equal((await t.db('tickets').count({ n: '*' }))[0].n, 0);
  });

  it('reports missing fields and fields of the wrong type', async () => {
    const res = await request(t.app).post('/api/tickets').send({ name: 42, email: 'a@example.com' }).expect(400);
    const codes = Object.fromEntries(res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    assert.deepEqual(codes, { name: 'invalid_type', subject: 'required', body: 'required' });
  });

  it('refuses a body that is not a JSON object', async () => {
    const res = await request(t.app).post('/api/tickets').set('Content-Type', 'application/json').send('["a"]').expect(400);
    assert.equal(res.body.errors[0].code, 'invalid_type');
  });

  it('refuses malformed JSON with invalid_json', async () => {
    const res = await request(t.app).post('/api/tickets').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    assert.deepEqual(
      res.body.errors.map((e: { code: string }) => e.code),
      ['invalid_json'],
    );
  });

  it('refuses a form-encoded body with 415, so a cross-site form cannot post to the API', async () => {
    const res = await request(t.app).post('/api/tickets').type('form').send({ name: 'x' }).expect(415);
    assert.equal(res.body.errors[0].code, 'unsupported_media_type');
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await request(t.app)
      .post('/api/tickets')
      .send(ticketInput({ body: 'a'.repeat(200_000) }))
      .expect(413);
    assert.equal(res.body.errors[0].code, 'too_large');
  });

  it('answers 404 in the JSON error shape for an unknown API path', async () => {
    const res = await request(t.app).get('/api/nothing-here').expect(404);
    assert.equal(res.body.errors[0].code, 'not_found');
  });
});

describe('public POST rate limit', () => {
  it('answers 429 rate_limited past RATE_LIMIT_PER_MINUTE from one address', async () => {
    const t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
      await request(t.app).post('/api/tickets').send(ticketInput()).expect(201);
      const res = await request(t.app).post('/api/tickets').send(ticketInput()).expect(429);
      assert.equal(res.body.errors[0].code, 'rate_limited');
      await request(t.app).get('/help').expect(200); // reading pages is not limited
    } finally {
      await t.close();
    }
  });

  it('keeps counts in the database store as two processes would see them, starting again after the minute', async () => {
    const t = await buildTestApp();
    try {
      // Two stores on one database stand for two web processes behind the same proxy.
      let now = Date.parse('2027-03-10T17:00:00Z');
      const [a, b] = [databaseRateLimitStore(t.db, () => now), databaseRateLimitStore(t.db, () => now)];
      for (const store of [a, b]) await store.init?.({ windowMs: 60_000 } as Options);
      assert.equal((await a.increment('192.0.2.7')).totalHits, 1);
      assert.equal((await b.increment('192.0.2.7')).totalHits, 2);
      const third = await a.increment('192.0.2.7');
      assert.deepEqual(third, { totalHits: 3, resetTime: new Date(now + 60_000) });
      assert.equal((await b.increment('198.51.100.1')).totalHits, 1, 'each address has its own count');
      await b.decrement('192.0.2.7');
      assert.equal((await a.increment('192.0.2.7')).totalHits, 3);
      now += 60_000; // the minute is over
      assert.equal((await b.increment('192.0.2.7')).totalHits, 1);
      await a.resetKey('192.0.2.7');
      assert.equal((await b.increment('192.0.2.7')).totalHits, 1);
    } finally {
      await t.close();
    }
  });
});

describe('concurrent intake', () => {
  it('stores every one of 40 simultaneous requests once, each with its own reference and message', async () => {
    const t = await buildTestApp();
    try {
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          request(t.app)
            .post('/api/tickets')
            .send(ticketInput({ subject: `Request number ${i}`, body: `Body of request ${i} about 3:21-cv-${1000 + i}` })),
        ),
      );
      assert.ok(responses.every((r) => r.status === 201));
      assert.equal(new Set(responses.map((r) => r.body.reference)).size, 40);
      for (const [i, r] of responses.entries()) {
        assert.deepEqual(
          r.body.caseNumbers.map((c: { number: string }) => c.number),
          [`3:21-cv-0${1000 + i}`],
        );
        const page = await request(t.app).get(new URL(r.body.statusUrl).pathname).expect(200);
        assert.match(page.text, new RegExp(`Body of request ${i} about`), 'each status link shows its own request');
      }
      assert.equal((await t.db('ticket_messages').count({ n: '*' }))[0].n, 40);
      assert.equal((await t.db('ticket_case_numbers').count({ n: '*' }))[0].n, 40);
    } finally {
      await t.close();
    }
  });
});

describe('what intake stores', () => {
  it('gives each ticket its own id when more are written together than one statement holds (501 by mail)', async () => {
    const t = await buildTestApp();
    try {
      const requests = Array.from({ length: 501 }, (_, i) => ({
        input: ticketInput({ subject: `Mailed request ${i}`, body: `Body ${i} about 3:21-cv-${2000 + i}` }),
        origin: {
          messageId: `<bulk.${i}@filer.example>`,
          inboundMailId: null as unknown as number,
          fromAddress: 'pat@example.com',
          subject: `Mailed request ${i}`,
          htmlReceived: null,
        },
        acknowledgeIn: null,
      }));
      const created = await t.db.transaction((trx) => t.services.tickets.createManyWithin(trx, requests));
      assert.equal(new Set(created.map((c) => c.ticket.id)).size, 501);
      for (const [i, c] of created.entries()) {
        const row = await t.db('tickets').where({ id: c.ticket.id }).first();
        assert.equal(row.subject, `Mailed request ${i}`);
        const cases = await t.db('ticket_case_numbers').where({ ticket_id: c.ticket.id }).pluck('number');
        assert.deepEqual(cases, [`3:21-cv-0${2000 + i}`]);
      }
    } finally {
      await t.close();
    }
  });

  it("takes the mail reader's assessment of a request only for the very words it was made from", async () => {
    const t = await buildTestApp();
    try {
      const input = ticketInput({
        subject: 'Cannot upload an exhibit',
        body: 'The upload stops at 50%. Which browser should I use?',
      });
      const origin = (n: number) => ({
        messageId: `<assessed.${n}@filer.example>`,
        inboundMailId: null as unknown as number,
        fromAddress: 'pat@example.com',
        subject: input.subject,
        htmlReceived: null,
        ownWords: input.body,
      });
      const words = { subject: input.subject, body: input.body, caseNumber: input.caseNumber, ownWords: input.body };
      // An assessment that says otherwise than the rules would, so that its use shows.
      const rules = loadScopeRules().fingerprint;
      const assessed = (made: typeof words, by = rules) => ({
        words: made,
        rules: by,
        policy: {
          subject: made.subject,
          body: made.body,
          redactions: [],
          refusal: 'legal_advice' as const,
          declined: [],
          review: false,
          confidence: 1,
          reasons: [],
          flags: ['legal_advice'],
          language: 'en' as const,
        },
        caseNumbers: [],
      });
      const [taken, otherWords, otherRules] = await t.db.transaction((trx) =>
        t.services.tickets.createManyWithin(trx, [
          { input, origin: origin(1), acknowledgeIn: null, assessed: assessed(words) },
          { input, origin: origin(2), acknowledgeIn: null, assessed: assessed({ ...words, body: `${input.body} ` }) },
          { input, origin: origin(3), acknowledgeIn: null, assessed: assessed(words, 'other rules') },
        ]),
      );
      assert.equal(taken.ticket.status, 'rejected');
      assert.equal(otherWords.ticket.status, 'new', 'an assessment of other words is not used');
      assert.deepEqual(otherWords.ticket.flags, []);
      assert.equal(otherRules.ticket.status, 'new', 'an assessment by other rules is not used');
    } finally {
      await t.close();
    }
  });

  it('stores the ticket, its first message, case numbers and the masked originals together', async () => {
    const t = await buildTestApp();
    try {
      const res = await request(t.app)
        .post('/api/tickets')
        .send({
          name: 'Pat Filer',
          email: 'pat@example.com',
          subject: 'SSN 123-45-6789 in 3:20-cv-01234-JST',
          body: 'Defendant 2 in 1:21-cr-00456-2 has SSN 123-45-6789. How do I file a redacted copy in CM/ECF?',
        })
        .expect(201);
      const ticket = await t.db('tickets').first();
      assert.equal(res.body.reference.endsWith(String(ticket.id).padStart(6, '0')), true);
      const message = await t.db('ticket_messages').where({ ticket_id: ticket.id }).first();
      assert.doesNotMatch(message.body_text, /123-45-6789/);
      assert.equal(message.direction, 'in');
      assert.equal(Boolean(message.internal), false);
      const cases = await t.db('ticket_case_numbers').where({ ticket_id: ticket.id }).orderBy('number');
      assert.deepEqual(
        cases.map((c: { number: string; judge_initials: string; defendant: number | null; office: number; type: string }) => [
          c.number,
          JSON.parse(c.judge_initials),
          c.defendant,
          c.office,
          c.type,
        ]),
        [
          ['1:21-cr-00456', [], 2, 1, 'cr'],
          ['3:20-cv-01234', ['JST'], null, 3, 'cv'],
        ],
      );
      const originals = await t.db('private_originals').where({ ticket_id: ticket.id }).orderBy('field');
      assert.deepEqual(
        originals.map((o: { field: string; message_id: number | null }) => [o.field, o.message_id]),
        [
          ['body', message.id],
          ['subject', null],
        ],
      );
    } finally {
      await t.close();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FAQ_DIR } from '../../src/app';
import { checkFaqContent } from '../../src/faq/faq-content';
import { REQUIRED_ANSWERS } from '../../src/faq/required-answers';
import { buildTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFrom } from '../helpers/factories';

describe('FAQ', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ env: { COURT_PROFILE: path.join(__dirname, '..', '..', 'profiles', 'wawd.json') } });
  });
  after(() => t.close());

  describe('GET /api/faq/search', () => {
    it('finds the password answer despite a typo', async () => {
      const res = await request(t.app).get('/api/faq/search').query({ q: 'pasword' }).expect(200);
      assert.equal(res.body.query, 'pasword');
      assert.equal(res.body.results[0].id, 'forgot-password');
      const first = res.body.results[0];
      assert.deepEqual(Object.keys(first).sort(), ['category', 'id', 'score', 'snippet', 'title', 'url']);
      assert.equal(first.url, '/faq/forgot-password');
      assert.match(first.snippet, /<mark>password<\/mark>/i);
    });

    it('matches the word being typed as a prefix', async () => {
      const res = await request(t.app).get('/api/faq/search').query({ q: 'summ' }).expect(200);
      assert.ok(res.body.results.slice(0, 2).some((r: { id: string }) => r.id === 'get-summons'));
    });

    it('requires every word typed: an unrelated extra word narrows the results', async () => {
      const one = await request(t.app).get('/api/faq/search').query({ q: 'fee' }).expect(200);
      const two = await request(t.app).get('/api/faq/search').query({ q: 'fee refund' }).expect(200);
      assert.ok(two.body.results.length < one.body.results.length);
      assert.equal(two.body.results[0].id, 'duplicate-fee-refund');
    });

    for (const q of ['title:', '*', '~', '+', '-', '^', '"unbalanced', 'title:summons', 'fee~2 +refund -tax^3', '()[]{}:\\']) {
      it(`searches ${JSON.stringify(q)} as plain words without an error`, async () => {
        const res = await request(t.app).get('/api/faq/search').query({ q }).expect(200);
        assert.ok(Array.isArray(res.body.results));
      });
    }

    it('answers an empty query with no results', async () => {
      const res = await request(t.app).get('/api/faq/search').expect(200);
      assert.deepEqual(res.body, { query: '', results: [] });
    });

    it('honours limit and refuses a bad one with 400', async () => {
      const res = await request(t.app).get('/api/faq/search').query({ q: 'filing', limit: 2 }).expect(200);
      assert.equal(res.body.results.length, 2);
      for (const limit of ['0', '51', 'ten']) {
        const bad = await request(t.app).get('/api/faq/search').query({ q: 'filing', limit }).expect(400);
        assert.equal(bad.body.errors[0].field, 'limit');
      }
      const long = await request(t.app)
        .get('/api/faq/search')
        .query({ q: 'a'.repeat(501) })
        .expect(400);
      assert.equal(long.body.errors[0].code, 'too_long');
    });

    it('escapes the snippet: only <mark> is markup', async () => {
      const res = await request(t.app).get('/api/faq/search').query({ q: 'sealed' }).expect(200);
      for (const r of res.body.results) assert.doesNotMatch(r.snippet.replace(/<\/?mark>/g, ''), /<|>/);
    });
  });

  describe('GET /api/faq/:id', () => {
    it('serves every answer SPEC §4 requires, rendered, with related answers', async () => {
      for (const [category, ids] of Object.entries(REQUIRED_ANSWERS)) {
        for (const id of ids) {
          const res = await request(t.app).get(`/api/faq/${id}`).expect(200);
          assert.equal(res.body.id, id);
          assert.equal(res.body.category, category);
          assert.match(res.body.html, /<p>/);
          assert.doesNotMatch(res.body.html, /\{\{|<script|on\w+=/i);
          assert.ok(res.body.related.length > 0, `${id} has related answers`);
        }
      }
    });

    it('fills in the court profile: hours, phone and time zone of this court', async () => {
      const res = await request(t.app).get('/api/faq/helpdesk-hours').expect(200);
      assert.match(res.body.html, /8:00 a\.m\. to 5:00 p\.m\./);
      assert.match(res.body.html, /Pacific Time/);
    });

    it('answers 404 for an unknown answer', async () => {
      const res = await request(t.app).get('/api/faq/no-such-answer').expect(404);
      assert.equal(res.body.errors[0].code, 'not_found');
    });
  });

  describe('pages', () => {
    it('browses every category on /faq', async () => {
      const res = await request(t.app).get('/faq').expect(200);
      for (const category of Object.keys(REQUIRED_ANSWERS))
        assert.ok(res.text.includes(category.replace('&', '&amp;')), category);
    });

    it('shows results with highlighted words, and suggests rephrasing, the form and a callback when nothing matches', async () => {
      const hit = await request(t.app).get('/faq').query({ q: 'notice of removal' }).expect(200);
      assert.match(hit.text, /href="\/faq\/notice-of-removal"/);
      assert.match(hit.text, /<mark>/);
      const miss = await request(t.app).get('/faq').query({ q: 'xylophone' }).expect(200);
      assert.match(miss.text, /No answers found/);
      assert.match(miss.text, /href="\/help"/);
      assert.match(miss.text, /href="\/callbacks"/);
    });

    it('shows search words typed by a user as text', async () => {
      const res = await request(t.app).get('/faq').query({ q: '<script>alert(1)</script>' }).expect(200);
      assert.ok(!res.text.includes('<script>alert(1)'));
    });

    it('counts "Did this answer your question?" per answer, and a request abandoned after a suggestion', async () => {
      const agent = request.agent(t.app);
      const page = await agent.get('/faq/one-free-look?from=request').expect(200);
      assert.match(page.text, /I do not need to send my request/);
      const res = await agent
        .post('/faq/one-free-look/feedback')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), helpful: 'yes', from: 'request' })
        .expect(303);
      const thanks = await agent.get(res.headers.location.replace(/#.*/, '')).expect(200);
      assert.match(thanks.text, /You do not need to send your request/);
      const plain = await agent.get('/faq/one-free-look').expect(200);
      await agent
        .post('/faq/one-free-look/feedback')
        .type('form')
        .send({ _csrf: csrfTokenFrom(plain.text), helpful: 'no' })
        .expect(303);
      const kinds = (await t.db('faq_events').where({ answer_id: 'one-free-look' }).orderBy('id')).map((e) => e.kind);
      assert.deepEqual(kinds, ['suggestion_opened', 'helpful', 'request_abandoned', 'not_helpful']);
    });

    it('ignores a feedback post with a bad value and counts nothing', async () => {
      const agent = request.agent(t.app);
      const page = await agent.get('/faq/training').expect(200);
      await agent
        .post('/faq/training/feedback')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), helpful: 'maybe' })
        .expect(303);
      assert.equal((await t.db('faq_events').where({ answer_id: 'training' }).count({ n: '*' }))[0].n, 0);
    });

    it('answers 404 with a plain page for an unknown answer', async () => {
      const res = await request(t.app).get('/faq/nothing-here').expect(404);
      assert.match(res.text, /no answer at this address/);
    });
  });
});

describe('FAQ content check (faq:check)', () => {
  it('finds no problem in the shipped content', () => {
    assert.deepEqual(checkFaqContent(FAQ_DIR, REQUIRED_ANSWERS), []);
  });

  it('reports bad front matter, broken links, unknown placeholders, raw HTML and missing required answers', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faq-check-'));
    try {
      writeFileSync(
        path.join(dir, 'good-one.md'),
        '---\nid: good-one\ntitle: "A fine question?"\ncategory: Filing\nkeywords: [a]\nrelated: [missing-one]\n---\nSee [this](/faq/nowhere) and {{court.phone}}. <b>bold</b> text here for length.\n',
      );
      writeFileSync(
        path.join(dir, 'bad-one.md'),
        '---\nid: Bad One\ntitle: "x"\ncategory: Gardening\nkeywords: []\n---\nBody.\n',
      );
      const problems = checkFaqContent(dir, { Filing: ['good-one', 'required-one'] }).join('\n');
      assert.match(problems, /required-one\.md: required answer is missing/);
      assert.match(problems, /related answer "missing-one" does not exist/);
      assert.match(problems, /link to \/faq\/nowhere/);
      assert.match(problems, /unknown placeholder \{\{court\.phone\}\}/);
      assert.match(problems, /raw HTML/);
      assert.match(problems, /bad-one\.md: front matter id/);
      assert.match(problems, /bad-one\.md: front matter category/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FAQ_DIR } from '../../src/app';
import { seedFromFolder } from '../../src/faq/faq-transfer';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

type Agent = InstanceType<typeof TestAgent>;

/** The edit form's fields for an answer, as the page shows them, with changes. */
async function formOf(agent: Agent, id: string, changes: Record<string, string> = {}) {
  const page = await agent.get(`/staff/faq/${id}/edit`).expect(200);
  const field = (name: string) => {
    const select = new RegExp(`<select [^>]*name="${name}"[\\s\\S]*?<option value="([^"]*)" selected`).exec(page.text);
    if (select) return decode(select[1]);
    const input = new RegExp(`<input [^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page.text);
    if (input) return decode(input[1]);
    const area = new RegExp(`<textarea [^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page.text);
    return area ? decode(area[1]) : '';
  };
  const form: Record<string, string> = { _csrf: csrfTokenFrom(page.text) };
  for (const name of ['title', 'category', 'keywords', 'asks', 'related', 'body', 'baseNumber']) form[name] = field(name);
  return { ...form, ...changes };
}

const decode = (html: string) =>
  html
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const searchIds = async (t: TestApp, q: string) =>
  ((await request(t.app).get('/api/faq/search').query({ q })).body.results as Array<{ id: string }>).map((r) => r.id);

const NEW_WORDING = 'Use the zebrafinch reset page to get back into your account quickly and safely.';

describe('the FAQ kept by staff (/staff/faq)', () => {
  let t: TestApp;
  let editor: Agent;
  let agent: Agent;

  beforeEach(async () => {
    t = await buildTestApp();
    editor = await signedInAgent(t, await buildStaff(t, { name: 'Eve Editor', role: 'editor' }));
    agent = await signedInAgent(t, await buildStaff(t, { name: 'Al Agent', role: 'agent' }));
  });
  afterEach(() => t.close());

  it('fills a new database from faq-content/ once, byte for byte, as version 1 of each answer', async () => {
    const versions = await t.db('faq_versions').where({ language: 'en' }).orderBy('answer_id');
    const files = readFileSync(path.join(FAQ_DIR, 'forgot-password.md'), 'utf8');
    assert.ok(versions.length >= 58);
    assert.equal(versions.find((v) => v.answer_id === 'forgot-password').source, files);
    assert.ok(versions.every((v) => Number(v.number) === 1 && v.published_by === 'seed'));
    // A second start (or a second process) finds it done and adds nothing.
    assert.equal(await seedFromFolder(t.db, FAQ_DIR), false);
    assert.equal((await t.db('faq_versions').where({ language: 'en' })).length, versions.length);
  });

  it('lists every answer with its status and figures, the feedback figures kept', async () => {
    await request(t.app).get('/faq/training').expect(200);
    const page = await agent.get('/staff/faq').expect(200);
    assert.match(page.text, /href="\/staff\/faq\/forgot-password\/edit"/);
    assert.match(page.text, /Requests that followed/);
    assert.match(page.text, /Opened from the request form/);
    assert.match(page.text, /Published, version 1/);
    const row = /<tr>\s*<td><a href="\/faq\/training">[\s\S]*?<\/tr>/.exec(page.text)?.[0] ?? '';
    assert.match(row, /<td>1<\/td>/, 'one view of the training answer');
  });

  it('previews without saving, saves a draft filers do not see, publishes a version searchable at once, keeps history with a diff, and restores', async () => {
    const original = (await request(t.app).get('/api/faq/forgot-password')).body.html as string;
    const form = await formOf(editor, 'forgot-password', { body: `${NEW_WORDING}\n\nThen sign in with your new password.` });

    const preview = await editor.post('/staff/faq/forgot-password/preview').type('form').send(form).expect(200);
    assert.match(preview.text, /Preview: what filers will see/);
    assert.match(preview.text, /zebrafinch reset page/);
    assert.deepEqual(await searchIds(t, 'zebrafinch'), []);

    await editor.post('/staff/faq/forgot-password/draft').type('form').send(form).expect(303);
    assert.deepEqual(await searchIds(t, 'zebrafinch'), [], 'a draft is not searchable');
    assert.equal((await request(t.app).get('/api/faq/forgot-password')).body.html, original);
    const list = await agent.get('/staff/faq').expect(200);
    assert.match(list.text, /Published, with a draft of a change/);

    const published = await editor.post('/staff/faq/forgot-password/publish').type('form').send(form).expect(303);
    assert.equal(published.headers.location, '/staff/faq/forgot-password/history?done=published');
    assert.deepEqual(await searchIds(t, 'zebrafinch'), ['forgot-password']);
    assert.match((await request(t.app).get('/faq/forgot-password')).text, /zebrafinch reset page/);

    const history = await editor.get('/staff/faq/forgot-password/history').expect(200);
    assert.match(history.text, /Version 2 \(published now\)/);
    assert.match(history.text, /Published by Eve Editor on /);
    assert.match(history.text, /Version 1/);
    assert.match(history.text, /diff-added[^>]*>.*zebrafinch reset page/);
    assert.match(history.text, /diff-removed[^>]*>.*In NextGen CM\/ECF you sign in/);
    const compare = await editor.get('/staff/faq/forgot-password/history?from=1&to=2').expect(200);
    assert.match(compare.text, /Version 1 compared with version 2/);

    const restoreToken = csrfTokenFrom(history.text);
    await editor.post('/staff/faq/forgot-password/restore').type('form').send({ _csrf: restoreToken, number: '1' }).expect(303);
    assert.deepEqual(await searchIds(t, 'zebrafinch'), []);
    assert.equal((await request(t.app).get('/api/faq/forgot-password')).body.html, original);
    const versions = await t.db('faq_versions').where({ answer_id: 'forgot-password', language: 'en' }).orderBy('number');
    assert.deepEqual(
      versions.map((v) => [Number(v.number), v.restored_from === null ? null : Number(v.restored_from)]),
      [
        [1, null],
        [2, null],
        [3, 1],
      ],
    );
    assert.equal(versions[2].source, versions[0].source);
    const audit = await t.db('audit_log').where({ action: 'faq.published', subject_id: 'forgot-password' });
    assert.equal(audit.length, 2);
  });

  it('writes a new answer as a draft, then publishes it; filers find it by its words and its "people ask" questions', async () => {
    const page = await editor.get('/staff/faq/new').expect(200);
    const form = {
      _csrf: csrfTokenFrom(page.text),
      id: 'e-filing-on-a-phone',
      title: 'Can I file from my phone?',
      category: 'Filing',
      keywords: 'phone, mobile, tablet',
      asks: 'can i use my iphone to file\nfiling from a tablet',
      related: 'pdf-requirements, browser-requirements',
      body: 'CM/ECF works in a current web browser. A computer is easier, because you need to save and upload PDF files.',
    };
    await editor.post('/staff/faq/new/draft').type('form').send(form).expect(303);
    assert.equal((await request(t.app).get('/faq/e-filing-on-a-phone')).status, 404, 'a draft is not public');
    const again = await formOf(editor, 'e-filing-on-a-phone');
    assert.equal(again.asks, 'can i use my iphone to file\nfiling from a tablet');
    await editor.post('/staff/faq/e-filing-on-a-phone/publish').type('form').send(again).expect(303);
    const answer = await request(t.app).get('/api/faq/e-filing-on-a-phone').expect(200);
    assert.equal(answer.body.category, 'Filing');
    assert.deepEqual(
      answer.body.related.map((r: { id: string }) => r.id),
      ['pdf-requirements', 'browser-requirements'],
    );
    assert.ok((await searchIds(t, 'iphone')).includes('e-filing-on-a-phone'));
  });

  it('lets an agent save a draft but not publish, restore or change synonyms', async () => {
    const form = await formOf(agent, 'training', { body: `${NEW_WORDING} Training is listed on the court's website.` });
    await agent.post('/staff/faq/training/draft').type('form').send(form).expect(303);
    const refused = await agent.post('/staff/faq/training/publish').type('form').send(form).expect(403);
    assert.match(refused.text, /editor/);
    const edit = await agent.get('/staff/faq/training/edit').expect(200);
    assert.doesNotMatch(edit.text, />Publish</);
    await agent
      .post('/staff/faq/training/restore')
      .type('form')
      .send({ _csrf: csrfTokenFrom(edit.text), number: '1' })
      .expect(403);
    await agent
      .post('/staff/faq/synonyms')
      .type('form')
      .send({ _csrf: csrfTokenFrom(edit.text), lines: 'a, b' })
      .expect(403);
    assert.deepEqual(await searchIds(t, 'zebrafinch'), []);
  });

  it('refuses a form without its CSRF token', async () => {
    const form = await formOf(editor, 'training');
    await editor
      .post('/staff/faq/training/publish')
      .type('form')
      .send({ ...form, _csrf: 'forged' })
      .expect(403);
  });

  describe('bad input: a clear field error, and the published answer unchanged', () => {
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['a script', { body: 'Hello there, this answer is long enough.\n\n<script>alert(1)</script>' }, 'body', 'html_not_allowed'],
      [
        'an iframe',
        { body: 'Hello there, this answer is long enough.\n\n<iframe src="https://evil.example"></iframe>' },
        'body',
        'html_not_allowed',
      ],
      [
        'a javascript: link',
        { body: 'Hello there, this answer is long enough. [Click](javascript:alert(1))' },
        'body',
        'unsafe_link',
      ],
      [
        'a javascript: reference link',
        { body: 'Hello there, this answer is long enough. [Click][x]\n\n[x]: JAVASCRIPT:alert(1)' },
        'body',
        'unsafe_link',
      ],
      ['1 MB of text', { body: 'word '.repeat(210_000) }, 'body', 'too_long'],
      ['a category that does not exist', { category: 'Gardening' }, 'category', 'unknown_category'],
      ['a related answer that does not exist', { related: 'no-such-answer' }, 'related', 'unknown_answer'],
      [
        'a link to an answer that does not exist',
        { body: 'Hello there, this answer is long enough. See [this](/faq/nowhere-at-all).' },
        'body',
        'unknown_link',
      ],
      [
        'an unknown placeholder',
        { body: 'Hello there, this answer is long enough. Call {{court.phone}}.' },
        'body',
        'unknown_placeholder',
      ],
    ];
    for (const [what, changes, field, code] of cases) {
      it(`refuses ${what}`, async () => {
        const before = (await request(t.app).get('/api/faq/forgot-password')).body.html as string;
        const form = await formOf(editor, 'forgot-password', changes);
        const res = await editor.post('/staff/faq/forgot-password/publish').type('form').send(form).expect(400);
        assert.match(res.text, new RegExp(`id="answer-${field}-error"`), `an error beside the ${field} field`);
        assert.match(res.text, /Nothing was saved/);
        const draft = await editor.post('/staff/faq/forgot-password/draft').type('form').send(form).expect(400);
        assert.match(draft.text, new RegExp(`id="answer-${field}-error"`));
        assert.equal((await request(t.app).get('/api/faq/forgot-password')).body.html, before);
        assert.equal((await t.db('faq_versions').where({ answer_id: 'forgot-password', language: 'en' })).length, 1);
        assert.equal((await t.db('faq_answers').where({ id: 'forgot-password', language: 'en' }).first()).draft_source, null);
        void code;
      });
    }

    it('refuses a new answer whose address is taken, and keeps what was typed', async () => {
      const page = await editor.get('/staff/faq/new').expect(200);
      const res = await editor
        .post('/staff/faq/new/publish')
        .type('form')
        .send({
          _csrf: csrfTokenFrom(page.text),
          id: 'forgot-password',
          title: 'A copy of the password answer?',
          category: 'Filing',
          keywords: 'copy',
          body: 'A different body that is long enough to be an answer.',
        })
        .expect(400);
      assert.match(
        res.text,
        /id="answer-id-error">An answer with the address (&#34;|&quot;)forgot-password(&#34;|&quot;) already exists/,
      );
      assert.match(res.text, /A different body that is long enough/);
      assert.equal((await t.db('faq_versions').where({ answer_id: 'forgot-password', language: 'en' })).length, 1);
    });

    it('refuses to publish over a version someone else published meanwhile', async () => {
      const stale = await formOf(editor, 'training', { body: `${NEW_WORDING} First editor.` });
      const fresh = await formOf(editor, 'training', { body: `${NEW_WORDING} Second editor.` });
      await editor.post('/staff/faq/training/publish').type('form').send(fresh).expect(303);
      const res = await editor.post('/staff/faq/training/publish').type('form').send(stale).expect(409);
      assert.match(res.text, /Someone else published a change/);
      assert.match(res.text, /First editor\./);
      assert.equal((await t.db('faq_versions').where({ answer_id: 'training', language: 'en' })).length, 2);
    });
  });

  it('edits the synonym table one group per line; searches use it at once', async () => {
    assert.ok(!(await searchIds(t, 'quokka')).includes('forgot-password'));
    const page = await editor.get('/staff/faq/synonyms').expect(200);
    const bad = await editor
      .post('/staff/faq/synonyms')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), lines: 'lonely' })
      .expect(400);
    assert.match(bad.text, /Line 1: put at least two words/);
    await editor
      .post('/staff/faq/synonyms')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), lines: 'quokka, password\n# a note\nNEF, notice of electronic filing' })
      .expect(303);
    assert.ok((await searchIds(t, 'quokka')).includes('forgot-password'));
    const shown = await editor.get('/staff/faq/synonyms').expect(200);
    assert.match(shown.text, /NEF, notice of electronic filing\nquokka, password/);
  });
});

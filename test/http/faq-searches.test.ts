import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { TRAIL_COOKIE } from '../../src/faq/faq-usage';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

// 10:00 in Seattle on a Wednesday (the example profile's court is on Pacific time).
const now = () => new Date('2027-03-10T18:00:00Z');

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const rows = async (t: TestApp) => {
  await t.services.faqUsage.flush();
  return (await t.db('faq_search_days').orderBy('query')).map((r) => ({
    day: r.day,
    query: r.query,
    searches: Number(r.searches),
    noResults: Number(r.no_results),
    followed: Number(r.followed_by_request),
  }));
};

describe('FAQ search analytics (/staff/faq/searches)', () => {
  let t: TestApp;
  let log: ReturnType<typeof capturedLog>;
  beforeEach(async () => {
    log = capturedLog();
    t = await buildTestApp({ now, deps: { logger: log.logger } });
  });
  afterEach(() => t.close());

  it('keeps each typed search per court day, masked, with how many found nothing; never in the access log', async () => {
    await request(t.app).get('/faq').query({ q: 'Password   for SSN 123-45-6789' }).expect(200);
    await request(t.app).get('/api/faq/search').query({ q: 'password for ssn 123-45-6789' }).expect(200);
    await request(t.app).get('/api/faq/search').query({ q: 'xylophone quartet' }).expect(200);
    await request(t.app).get('/api/faq/search').query({ q: 'xylophone quartet' }).expect(200); // answered from the cache: counted too
    // The request form's suggestions read a whole request: not a search.
    await request(t.app).get('/api/faq/search').query({ q: 'my whole request text about fees', mode: 'any' }).expect(200);
    assert.deepEqual(await rows(t), [
      { day: '2027-03-10', query: 'password for ssn xxx-xx-6789', searches: 2, noResults: 0, followed: 0 },
      { day: '2027-03-10', query: 'xylophone quartet', searches: 2, noResults: 2, followed: 0 },
    ]);
    const logged = log.lines.join('\n');
    assert.doesNotMatch(logged, /6789|xylophone|Password/i);
  });

  it('counts the searches and answers a browser read before it sent a request through the form', async () => {
    const filer = request.agent(t.app);
    await filer.get('/faq').query({ q: 'summons' }).expect(200);
    await filer.get('/faq/get-summons').expect(200);
    const form = await filer.get('/help').expect(200);
    const sent = await filer
      .post('/help')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        name: 'Pat Filer',
        email: 'pat.filer@example.com',
        subject: 'Summons question',
        body: 'I still do not know how to get a summons for my new case.',
        suggestionsSeen: 'yes',
      })
      .expect(303);
    const cookies = sent.headers['set-cookie'] as unknown as string[] | undefined;
    assert.ok(
      cookies?.some((c) => c.startsWith(`${TRAIL_COOKIE}=;`)),
      'the trail starts again',
    );
    assert.deepEqual(await rows(t), [{ day: '2027-03-10', query: 'summons', searches: 1, noResults: 0, followed: 1 }]);
    const answer = await t.db('faq_answer_days').where({ answer_id: 'get-summons' }).first();
    assert.equal(Number(answer.views), 1);
    assert.equal(Number(answer.requests_followed), 1);

    const staff = await signedInAgent(t, await buildStaff(t, { role: 'editor' }));
    const list = await staff.get('/staff/faq').expect(200);
    const row = /<tr>\s*<td><a href="\/faq\/get-summons">[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? '';
    assert.match(
      row,
      /<td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/,
      'one view, one request that followed',
    );
  });

  it('shows top searches, searches with no result and searches followed by a request for a date range', async () => {
    await t.db('faq_search_days').insert([
      { day: '2027-03-01', query: 'pay filing fee', searches: 9, no_results: 0, followed_by_request: 2 },
      { day: '2027-03-02', query: 'pay filing fee', searches: 3, no_results: 0, followed_by_request: 0 },
      { day: '2027-03-02', query: 'jury duty <b>', searches: 4, no_results: 4, followed_by_request: 1 },
      { day: '2027-01-15', query: 'old search', searches: 50, no_results: 50, followed_by_request: 0 },
    ]);
    const staff = await signedInAgent(t, await buildStaff(t, { role: 'agent' }));
    const page = await staff.get('/staff/faq/searches').query({ from: '2027-03-01', to: '2027-03-10' }).expect(200);
    const section = (id: string) => page.text.slice(page.text.indexOf(`<h2 id="${id}"`) + 4).split('<h2')[0];
    assert.match(page.text, /16 searches from 2027-03-01 to 2027-03-10; 4 found nothing; 3 were followed by a request/);
    assert.match(section('top-searches'), /pay filing fee<\/a><\/td><td>12<\/td>[\s\S]*jury duty &lt;b&gt;/);
    assert.doesNotMatch(section('no-results'), /pay filing fee/);
    assert.match(section('no-results'), /jury duty &lt;b&gt;<\/a><\/td><td>4<\/td><td>4<\/td>/);
    assert.match(section('followed'), /pay filing fee[\s\S]*jury duty/);
    assert.doesNotMatch(page.text, /old search/);
    // The last 30 days by default.
    const byDefault = await staff.get('/staff/faq/searches').expect(200);
    assert.match(byDefault.text, /from 2027-02-09 to 2027-03-10/);
    const bad = await staff.get('/staff/faq/searches').query({ from: 'March' }).expect(400);
    assert.match(bad.text, /Give the first day as YYYY-MM-DD/);
  });
});

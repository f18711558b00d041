import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';

// Monday, November 2, 2026, 9:05 a.m. Pacific (the week after the fall daylight-saving change).
const MONDAY = new Date('2026-11-02T17:05:00Z');
// Saturday, November 7, 2026, 7:00 a.m. Pacific: inside the default maintenance window (6–10 a.m.).
const SATURDAY_MAINTENANCE = new Date('2026-11-07T15:00:00Z');

describe('service status and outages', function () {
  let t: TestApp;
  let clock: Date;

  beforeEach(async () => {
    clock = MONDAY;
    t = await buildTestApp({ now: () => clock });
  });
  afterEach(() => t.close());

  const count = async (table: string) => Number(((await t.db(table).count({ n: '*' })) as Array<{ n: number }>)[0].n);
  const stored = async () => ({ outages: await count('outages'), events: await count('outage_events') });

  async function staffAgent() {
    const staff = await buildStaff(t, { name: 'Dana Clerk', role: 'supervisor' });
    const agent = await signedInAgent(t, staff);
    const page = await agent.get('/staff/status').expect(200);
    return { agent, staff, csrf: csrfTokenFrom(page.text) };
  }

  it('answers /api/status with normal, the next maintenance window in the court offset, and no banner', async () => {
    const res = await request(t.app).get('/api/status').expect(200);
    assert.deepEqual(res.body, {
      status: 'normal',
      notices: [],
      maintenance: { now: false, next: { start: '2026-11-07T06:00:00-08:00', end: '2026-11-07T10:00:00-08:00' } },
    });
    const home = await request(t.app).get('/').expect(200);
    assert.doesNotMatch(home.text, /class="status-banner"/);
    const page = await request(t.app).get('/status').expect(200);
    assert.match(page.text, /Everything is working normally/);
    assert.match(page.text, /No outages have been posted/);
  });

  it('says CM/ECF is in maintenance during the weekly window, on the API, the status page and every page banner', async () => {
    clock = SATURDAY_MAINTENANCE;
    const res = await request(t.app).get('/api/status').expect(200);
    assert.equal(res.body.status, 'maintenance');
    assert.deepEqual(res.body.maintenance, {
      now: true,
      next: { start: '2026-11-07T06:00:00-08:00', end: '2026-11-07T10:00:00-08:00' },
    });
    const home = await request(t.app).get('/faq').expect(200);
    assert.match(home.text, /class="status-banner"[\s\S]*weekly maintenance time until 10:00 a\.m\.[\s\S]*href="\/status"/);
    assert.match((await request(t.app).get('/status').expect(200)).text, /CM\/ECF is in its weekly maintenance time/);
  });

  it('lets staff declare, update and end an outage, each change shown at once and kept with who and when', async () => {
    const { agent, staff, csrf } = await staffAgent();
    const declared = await agent
      .post('/staff/status')
      .type('form')
      .send({
        _csrf: csrf,
        scope: 'cmecf',
        message: 'CM/ECF does not answer. The court is working on it.',
        startedAt: '2026-11-02T08:40',
      })
      .expect(303);
    assert.equal(declared.headers.location, '/staff/status?done=declared');

    const status = await request(t.app).get('/api/status').expect(200);
    assert.equal(status.body.status, 'outage');
    assert.equal(status.body.notices.length, 1);
    const [notice] = status.body.notices;
    assert.deepEqual(notice, {
      id: notice.id,
      scope: 'cmecf',
      message: 'CM/ECF does not answer. The court is working on it.',
      startedAt: '2026-11-02T08:40:00-08:00',
      endedAt: null,
    });
    for (const path of ['/', '/hours', '/help', '/status'])
      assert.match(
        (await request(t.app).get(path).expect(200)).text,
        /class="status-banner"[\s\S]*CM\/ECF is down: electronic filing is not working\. Since 8:40 a\.m\. today\.[\s\S]*href="\/status"/,
        path,
      );

    await agent
      .post(`/staff/status/${notice.id}/update`)
      .type('form')
      .send({ _csrf: csrf, message: 'CM/ECF is back for some filers; please try again.' })
      .expect(303);
    assert.match((await request(t.app).get('/status').expect(200)).text, /CM\/ECF is back for some filers/);
    const staffPage = await agent.get('/staff/status').expect(200);
    assert.match(staffPage.text, /Declared by Dana Clerk/);
    assert.match(staffPage.text, /Message changed by Dana Clerk/);

    await agent
      .post(`/staff/status/${notice.id}/end`)
      .type('form')
      .send({ _csrf: csrf, endedAt: '2026-11-02T09:00' })
      .expect(303);
    assert.equal((await request(t.app).get('/api/status').expect(200)).body.status, 'normal');
    assert.doesNotMatch((await request(t.app).get('/').expect(200)).text, /class="status-banner"/);

    const events = await t.db('outage_events').where({ outage_id: notice.id }).orderBy('id');
    assert.deepEqual(
      events.map((e: { kind: string; actor: string; effective_at: string }) => [e.kind, e.actor, e.effective_at]),
      [
        ['declared', `staff:${staff.id}`, '2026-11-02T16:40:00.000Z'],
        ['updated', `staff:${staff.id}`, MONDAY.toISOString()],
        ['ended', `staff:${staff.id}`, '2026-11-02T17:00:00.000Z'],
      ],
    );
    const history = await request(t.app).get('/api/status/history').expect(200);
    assert.deepEqual(history.body, {
      outages: [
        {
          id: notice.id,
          scope: 'cmecf',
          message: 'CM/ECF is back for some filers; please try again.',
          startedAt: '2026-11-02T08:40:00-08:00',
          endedAt: '2026-11-02T09:00:00-08:00',
          reports: 0,
        },
      ],
    });
    const page = await request(t.app).get('/status').expect(200);
    assert.match(
      page.text,
      /Monday, November 2, 2026 at 8:40 a\.m\. PST[\s\S]*Monday, November 2, 2026 at 9:00 a\.m\. PST[\s\S]*20 minutes/,
    );
  });

  it('refuses bad input on the staff forms with a clear message beside the form, and stores nothing', async () => {
    const { agent, csrf } = await staffAgent();
    const declare = (fields: Record<string, string>) =>
      agent
        .post('/staff/status')
        .type('form')
        .send({ _csrf: csrf, scope: 'cmecf', message: 'Down.', ...fields });

    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ scope: 'chambers' }, 400, /Choose what is affected/],
      [{ message: '  ' }, 400, /Please write the public message/],
      [{ message: 'x'.repeat(1001) }, 400, /limited to 1000 characters/],
      [{ startedAt: '2026-11-02T10:00' }, 400, /The start cannot be in the future/],
      [{ startedAt: 'soon' }, 400, /Write the time as a date and time/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await declare(fields).expect(status);
      assert.match(res.text, message, JSON.stringify(fields));
      assert.match(res.text, /Nothing was changed/);
    }
    assert.deepEqual(await stored(), { outages: 0, events: 0 });

    await declare({ startedAt: '2026-11-02T08:00' }).expect(303);
    const before = await stored();
    assert.match((await declare({}).expect(409)).text, /already declared: update or end that one instead/);
    const id = Number(((await t.db('outages').first('id')) as { id: number }).id);
    const end = (endedAt: string) => agent.post(`/staff/status/${id}/end`).type('form').send({ _csrf: csrf, endedAt });
    assert.match((await end('2026-11-02T07:59').expect(400)).text, /The end must come after the start/);
    assert.match((await end('2026-11-02T11:00').expect(400)).text, /The end cannot be in the future/);
    assert.match(
      (await agent.post(`/staff/status/${id}/update`).type('form').send({ _csrf: csrf, message: '' }).expect(400)).text,
      /Please write the public message/,
    );
    assert.deepEqual(await stored(), before);

    await end('').expect(303);
    const ended = await stored();
    assert.match((await end('').expect(409)).text, /This outage has already ended/);
    await agent.post('/staff/status/99999/end').type('form').send({ _csrf: csrf }).expect(404);
    assert.deepEqual(await stored(), ended);
  });

  it('keeps the staff status page to signed-in staff, and its forms to the CSRF token', async () => {
    const anonymous = await request(t.app).get('/staff/status').expect(303);
    assert.match(anonymous.headers.location, /^\/staff\/sign-in/);
    const { agent } = await staffAgent();
    await agent.post('/staff/status').type('form').send({ scope: 'cmecf', message: 'Down.' }).expect(403);
    assert.deepEqual(await stored(), { outages: 0, events: 0 });
    assert.match((await agent.get('/staff').expect(200)).text, /href="\/staff\/status"/);
  });

  it('answers the history for a range, and refuses a bad range with 400 in the standard error shape', async () => {
    const outages = t.services.outages;
    const october = await outages.declare({
      scope: 'pacer',
      message: 'PACER down.',
      startedAt: '2026-10-05T10:00',
      actor: 'cli',
    });
    await outages.end(october.id, { endedAt: '2026-10-05T11:30', actor: 'cli' });
    await outages.declare({ scope: 'cmecf', message: 'CM/ECF down.', startedAt: '2026-11-02T08:00', actor: 'cli' });

    const res = await request(t.app).get('/api/status/history?from=2026-10-01&to=2026-10-31').expect(200);
    assert.deepEqual(
      res.body.outages.map((o: { scope: string; startedAt: string; endedAt: string }) => [o.scope, o.startedAt, o.endedAt]),
      [['pacer', '2026-10-05T10:00:00-07:00', '2026-10-05T11:30:00-07:00']],
    );
    assert.equal((await request(t.app).get('/api/status/history?from=2026-11-01').expect(200)).body.outages[0].scope, 'cmecf');

    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['from=2026-11-01&to=2026-10-01', 'to'],
      ['from=a&from=b', 'from'],
    ]) {
      const bad = await request(t.app).get(`/api/status/history?${query}`).expect(400);
      assert.equal(bad.body.errors[0].field, field, query);
      assert.equal(typeof bad.body.errors[0].code, 'string');
      assert.equal(typeof bad.body.errors[0].message, 'string');
    }
  });

  it('shows an outage across the fall daylight-saving change with the right local times and duration', async () => {
    const outages = t.services.outages;
    // 12:30 a.m. PDT to 3:30 a.m. PST: the clocks went back an hour at 2 a.m., so four hours passed.
    const o = await outages.declare({
      scope: 'cmecf',
      message: 'Overnight outage.',
      startedAt: '2026-11-01T00:30',
      actor: 'cli',
    });
    await outages.end(o.id, { endedAt: '2026-11-01T03:30', actor: 'cli' });
    assert.equal((await outages.get(o.id)).startedAt, '2026-11-01T07:30:00.000Z');
    assert.equal((await outages.get(o.id)).endedAt, '2026-11-01T11:30:00.000Z');

    const api = await request(t.app).get('/api/status/history').expect(200);
    assert.equal(api.body.outages[0].startedAt, '2026-11-01T00:30:00-07:00');
    assert.equal(api.body.outages[0].endedAt, '2026-11-01T03:30:00-08:00');
    const page = await request(t.app).get('/status').expect(200);
    assert.match(
      page.text,
      /<dt>Started<\/dt><dd>Sunday, November 1, 2026 at 12:30 a\.m\. PDT<\/dd>\s*<dt>Ended<\/dt><dd>Sunday, November 1, 2026 at 3:30 a\.m\. PST<\/dd>\s*<dt>How long<\/dt><dd>4 hours<\/dd>/,
    );
  });

  it('pages the history when it is long, keeping every outage', async () => {
    const outages = t.services.outages;
    for (let day = 1; day <= 27; day++) {
      const start = `2026-09-${String(day).padStart(2, '0')}T10:00`;
      const o = await outages.declare({ scope: 'other', message: `Outage ${day}.`, startedAt: start, actor: 'cli' });
      await outages.end(o.id, { endedAt: start.replace('10:00', '10:45'), actor: 'cli' });
    }
    const first = await request(t.app).get('/status').expect(200);
    assert.match(first.text, /Outage 27\./);
    assert.doesNotMatch(first.text, /Outage 2\./);
    assert.match(first.text, /href="\/status\?page=2#history">Older outages/);
    const second = await request(t.app).get('/status?page=2').expect(200);
    assert.match(second.text, /Outage 2\.[\s\S]*Outage 1\./);
    assert.match(second.text, /href="\/status\?page=1#history">Newer outages/);
    await request(t.app).get('/status?page=zero').expect(400);
  });

  it('publishes a valid Atom feed, one entry per outage, updated when the outage changes or ends', async () => {
    const empty = await request(t.app).get('/status/feed.xml').expect(200);
    assert.match(empty.headers['content-type'], /^application\/atom\+xml/);
    assert.equal(XMLValidator.validate(empty.text), true);
    assert.equal(parseFeed(empty.text).items.length, 0);

    const outages = t.services.outages;
    const o = await outages.declare({
      scope: 'email-notices',
      message: 'Notices are delayed <b>by hours</b>; a "]]>" here stays text & safe.',
      startedAt: '2026-11-02T07:00',
      actor: 'cli',
    });
    const other = await outages.declare({ scope: 'pacer', message: 'PACER down.', startedAt: '2026-11-02T08:00', actor: 'cli' });
    const before = await request(t.app).get('/status/feed.xml').expect(200);
    assert.equal(XMLValidator.validate(before.text), true);
    const feed = parseFeed(before.text);
    assert.equal(feed.meta.type, 'atom');
    assert.ok(feed.title && feed.url && feed.updated);
    assert.equal(feed.items.length, 2);
    for (const item of feed.items)
      assert.ok(item.id && item.title && item.updated && item.url, 'every entry has id, title, updated and link');
    const entry = feed.items.find((i) => i.id?.endsWith(`#outage-${o.id}`));
    assert.ok(entry);
    assert.match(entry.description ?? '', /by hours/);
    // Markup a message holds is escaped inside the feed's HTML, so a reader shows it as text.
    assert.match(
      before.text,
      /<content type="html"><!\[CDATA\[<p>Since [^\]]*<\/p><p>Notices are delayed &lt;b&gt;by hours&lt;\/b&gt;; a &quot;]]&gt;&quot;/,
    );
    assert.match(entry.description ?? '', /Since Monday, November 2, 2026 at 7:00 a\.m\. PST; not over yet\./);
    assert.equal(entry.updated?.toISOString(), MONDAY.toISOString());

    clock = new Date(MONDAY.getTime() + 30 * 60_000);
    await outages.end(o.id, { actor: 'cli' });
    const after = parseFeed((await request(t.app).get('/status/feed.xml').expect(200)).text);
    const ended = after.items.find((i) => i.id?.endsWith(`#outage-${o.id}`));
    assert.equal(ended?.updated?.toISOString(), clock.toISOString());
    assert.match(ended?.title ?? '', /^Ended: outage of Email notices of filings/);
    assert.match(ended?.description ?? '', /\(2 hours 35 minutes\)/);
    assert.equal(after.updated?.toISOString(), clock.toISOString());
    assert.equal(after.items.find((i) => i.id?.endsWith(`#outage-${other.id}`))?.updated?.toISOString(), MONDAY.toISOString());
  });
});

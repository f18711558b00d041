import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent, ticketInput } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';

type Agent = Awaited<ReturnType<typeof signedInAgent>>;

/** The references a queue page lists, in order. */
const listed = (html: string) => [...html.matchAll(/href="\/staff\/tickets\/(HD-\d{4}-\d{6})"/g)].map((m) => m[1]);

/** The stable codes of the problems a page names. */
const codes = (html: string) => [...html.matchAll(/data-code="([a-z_]+)"/g)].map((m) => m[1]);

describe('the staff queue: topics, tags, due counts, bulk actions, saved filters, typos', () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof buildStaff>>;
  let agent: Agent;
  beforeEach(async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
    staff = await buildStaff(t, { name: 'Sam Agent' });
    agent = await signedInAgent(t, staff);
  });
  afterEach(() => t.close());

  /** A new request through the app's own intake (FAQ suggestions and topic included), as the web form makes one. */
  const request = (subject: string, body: string) => t.services.tickets.create(ticketInput({ subject, body }), 'web');

  const topicOf = async (id: number) => ((await t.db('tickets').where({ id }).first('topic')) as { topic: string | null }).topic;

  /** The queue page at `query`, with each listed ticket's checkbox value (`id:version`) by reference. */
  async function queuePage(query: Record<string, string> = {}) {
    const page = await agent.get('/staff').query(query).expect(200);
    const boxes = new Map(
      [...page.text.matchAll(/name="tickets" value="(\d+:\d+)" id="select-\d+" aria-label="Select (HD-\d{4}-\d{6})"/g)].map(
        (m) => [m[2], m[1]],
      ),
    );
    return { page, boxes, csrf: csrfTokenFrom(page.text) };
  }

  async function bulk(fields: Record<string, string | string[]>, query: Record<string, string> = {}) {
    const { csrf } = await queuePage(query);
    return agent
      .post('/staff/bulk')
      .type('form')
      .send({ _csrf: csrf, back: new URLSearchParams(query).toString(), ...fields });
  }

  it('shows the resolution target of each row beside the first response, paused while the filer is asked', async () => {
    const running = await request('Upload fails', 'The PDF upload stops at 90 percent every time.');
    const waiting = await request('Cannot sign in', 'My CM/ECF password is refused after the reset.');
    await t.db('tickets').where({ id: waiting.ticket.id }).update({ status: 'waiting' });
    await t.db('ticket_events').insert({
      ticket_id: waiting.ticket.id,
      actor: 'system',
      action: 'status_changed',
      before: JSON.stringify({ status: 'new' }),
      after: JSON.stringify({ status: 'waiting' }),
      created_at: new Date().toISOString(),
    });
    const { page } = await queuePage();
    assert.match(page.text, /<th scope="col">Resolution due<\/th>/);
    const row = (reference: string) => page.text.split('<tr').find((r) => r.includes(`/staff/tickets/${reference}"`)) ?? '';
    assert.match(row(running.ticket.reference), /data-label="Resolution due">[^<]*\d/);
    assert.match(row(waiting.ticket.reference), /data-label="Resolution due">Paused \(waiting for the filer\)/);
  });

  it('proposes a topic from the best FAQ match for a request by web form, API and email', async () => {
    const web = await request('Forgot my password', 'I forgot my CM/ECF password and cannot log in to file.');
    assert.equal(await topicOf(web.ticket.id), 'accounts-and-access');
    assert.equal(web.ticket.topic, 'accounts-and-access');

    const api = await agent
      .post('/api/tickets')
      .send({
        name: 'Pat Filer',
        email: 'pat@example.com',
        subject: 'Filing fee',
        body: 'How do I pay the filing fee for a new civil case online?',
      })
      .expect(201);
    const apiId = Number(/\d+$/.exec(api.body.reference as string)?.[0]);
    assert.equal(await topicOf(apiId), 'fees-and-summons');
    assert.equal(
      Object.keys(api.body.suggestions[0] as object)
        .sort()
        .join(','),
      'id,title,url',
      'the API answer is unchanged',
    );

    const ids = await t.services.mail.intake.store([
      { raw: await rawMail({ subject: 'Summons', text: 'How do I get a summons issued for my new case?' }), source: 'import' },
    ]);
    const [outcome] = await t.services.mail.intake.processPending(ids);
    assert.equal(await topicOf((outcome as { ticketId: number }).ticketId), 'fees-and-summons');

    const page = await agent.get('/staff').expect(200);
    assert.match(page.text, /<span class="visually-hidden">Topic: <\/span>Accounts and access/);
  });

  it("changes a ticket's topic and tags from its page, each change in its history; refuses an unknown topic or a bad tag", async () => {
    const { ticket } = await request('Forgot my password', 'I forgot my CM/ECF password and cannot log in.');
    const page = await agent.get(`/staff/tickets/${ticket.reference}`).expect(200);
    const csrf = csrfTokenFrom(page.text);
    const post = (path: string, fields: Record<string, string>) =>
      agent
        .post(`/staff/tickets/${ticket.reference}/${path}`)
        .type('form')
        .send({ _csrf: csrf, ...fields });
    await post('topic', { topic: 'filing' }).expect(303);
    await post('tags', { tag: ' Locked Out ' }).expect(303);
    await post('tags', { tag: 'locked out' }).expect(303);
    await post('tags', { tag: 'pacer' }).expect(303);
    await post('tags/remove', { tag: 'pacer' }).expect(303);
    assert.equal(await topicOf(ticket.id), 'filing');
    assert.deepEqual(await t.db('ticket_tags').where({ ticket_id: ticket.id }).pluck('tag'), ['locked out']);
    const history = await t.db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id').select('action', 'before', 'after');
    assert.deepEqual(
      history.map((e: { action: string; before: string | null; after: string | null }) => [e.action, e.before, e.after]),
      [
        ['topic_changed', '{"topic":"accounts-and-access"}', '{"topic":"filing"}'],
        ['tagged', null, '{"tag":"locked out"}'],
        ['tagged', null, '{"tag":"pacer"}'],
        ['untagged', '{"tag":"pacer"}', null],
      ],
    );
    assert.equal(((await t.db('tickets').where({ id: ticket.id }).first('version')) as { version: number }).version, 5);
    let res = await post('topic', { topic: 'legal-advice' }).expect(400);
    assert.match(res.text, /There is no such topic/);
    res = await post('tags', { tag: '<b>' }).expect(400);
    assert.match(res.text, /That tag was not added\. A tag is 1 to 40 letters/);
    await post('topic', { topic: '' }).expect(303);
    assert.equal(await topicOf(ticket.id), null);
  });

  it('filters by topic and by tag, and names an unknown or badly written topic or tag', async () => {
    const password = await request('Forgot my password', 'I forgot my CM/ECF password and cannot log in.');
    const fee = await request('Filing fee', 'How do I pay the filing fee online?');
    let res = await agent.get('/staff').query({ topic: 'accounts-and-access' }).expect(200);
    assert.deepEqual(listed(res.text), [password.ticket.reference]);

    res = await bulk({
      action: 'tag',
      tag: '  Urgent  Payment ',
      tickets: (await queuePage()).boxes.get(fee.ticket.reference) as string,
    });
    assert.equal(res.status, 303);
    res = await agent.get('/staff').query({ tag: 'urgent payment' }).expect(200);
    assert.deepEqual(listed(res.text), [fee.ticket.reference]);
    assert.match(res.text, /<datalist id="tags-in-use">\s*<option value="urgent payment">/);
    res = await agent.get('/staff').query({ tag: 'URGENT payment', topic: 'fees-and-summons' }).expect(200);
    assert.deepEqual(listed(res.text), [fee.ticket.reference], 'a tag is matched as stored: lower case');

    res = await agent.get('/staff').query({ topic: 'legal-advice' }).expect(400);
    assert.deepEqual(codes(res.text), ['unknown_topic']);
    assert.deepEqual(listed(res.text), []);
    assert.match(res.text, /There is no topic &#34;legal-advice&#34;/);
    res = await agent.get('/staff').query({ tag: 'never used' }).expect(400);
    assert.deepEqual(codes(res.text), ['unknown_tag']);
    res = await agent.get('/staff').query({ tag: 'bad<tag>' }).expect(400);
    assert.deepEqual(codes(res.text), ['invalid_tag']);
    res = await agent.get('/staff?topic=filing&topic=getting-help').expect(400);
    assert.deepEqual(codes(res.text), ['invalid_filter']);
  });

  it('counts overdue and due-soon tickets at the top, says so in words on each row, and lists them', async () => {
    const late = await buildTicket(t, { subject: 'Late one' });
    const soon = await buildTicket(t, { subject: 'Soon one' });
    const fine = await buildTicket(t, { subject: 'Fine one' });
    const answered = await buildTicket(t, { subject: 'Answered one' });
    const now = Date.now();
    const due = (id: number, ms: number, answeredAt: string | null = null) =>
      t
        .db('tickets')
        .where({ id })
        .update({ first_response_due_at: new Date(now + ms).toISOString(), first_response_at: answeredAt });
    await due(late.ticket.id, -3_600_000);
    await due(soon.ticket.id, 20 * 60_000);
    await due(fine.ticket.id, 5 * 3_600_000);
    await due(answered.ticket.id, -3_600_000, new Date(now - 7_200_000).toISOString());

    let res = await agent.get('/staff').query({ done: 'x' }).expect(200);
    assert.match(res.text, /Overdue: <strong>1<\/strong>/);
    assert.match(res.text, /Due within the hour: <strong>1<\/strong>/);
    assert.match(res.text, /<strong class="badge badge-overdue">Overdue<\/strong>/);
    assert.match(res.text, /<strong class="badge badge-soon">Due within the hour<\/strong>/);
    res = await agent.get('/staff').query({ due: 'overdue' }).expect(200);
    assert.deepEqual(listed(res.text), [late.ticket.reference]);
    res = await agent.get('/staff').query({ due: 'soon' }).expect(200);
    assert.deepEqual(listed(res.text), [soon.ticket.reference]);
  });

  it('assigns, changes the status and tags selected tickets in one action each; every ticket records it in its history and the audit log', async () => {
    const other = await buildStaff(t, { name: 'Robin Clerk' });
    const a = await buildTicket(t, { subject: 'First' });
    const b = await buildTicket(t, { subject: 'Second' });
    const c = await buildTicket(t, { subject: 'Not selected' });
    const { boxes } = await queuePage();
    const both = [boxes.get(a.ticket.reference) as string, boxes.get(b.ticket.reference) as string];

    let res = await bulk({ action: 'assign', assigneeId: String(other.id), tickets: both });
    assert.equal(res.status, 303);
    res = await agent.get(res.headers.location as string).expect(200);
    assert.match(res.text, /Assignment saved on 2 tickets\./);
    const assigned = await t
      .db('tickets')
      .whereIn('id', [a.ticket.id, b.ticket.id, c.ticket.id])
      .orderBy('id')
      .pluck('assignee_id');
    assert.deepEqual(assigned, [other.id, other.id, null]);

    const fresh = (await queuePage()).boxes;
    res = await bulk({
      action: 'status',
      status: 'waiting',
      tickets: [fresh.get(a.ticket.reference) as string, fresh.get(b.ticket.reference) as string],
    });
    assert.equal(res.status, 303);
    const again = (await queuePage()).boxes;
    res = await bulk({
      action: 'tag',
      tag: 'pacer',
      tickets: [again.get(a.ticket.reference) as string, again.get(b.ticket.reference) as string],
    });
    assert.equal(res.status, 303);

    for (const ticket of [a.ticket, b.ticket]) {
      const events = await t.db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id').select('actor', 'action', 'after');
      assert.deepEqual(
        events.map((e: { action: string }) => e.action),
        ['assigned', 'status_changed', 'tagged'],
      );
      assert.ok(events.every((e: { actor: string }) => e.actor === `staff:${staff.id}`));
      const audit = await t.db('audit_log').where({ subject_id: ticket.reference }).orderBy('id').pluck('action');
      assert.deepEqual(audit, ['ticket.bulk_assigned', 'ticket.bulk_status_changed', 'ticket.bulk_tagged']);
    }
    assert.deepEqual(await t.db('ticket_tags').orderBy('ticket_id').pluck('ticket_id'), [a.ticket.id, b.ticket.id]);
    assert.deepEqual(await t.db('ticket_events').where({ ticket_id: c.ticket.id }).pluck('action'), []);
    const page = await agent.get(`/staff?status=waiting`).expect(200);
    assert.match(page.text, /<span class="visually-hidden">Tag: <\/span>#pacer/);
  });

  it('applies nothing when a selected ticket was changed after the list was loaded, names it, and keeps the selection', async () => {
    const a = await buildTicket(t, { subject: 'Untouched' });
    const b = await buildTicket(t, { subject: 'Changed meanwhile' });
    const { boxes, csrf } = await queuePage();
    // Someone else claims B after this list was loaded.
    const colleague = await signedInAgent(t, await buildStaff(t, { name: 'Robin Clerk' }));
    const ticketPage = await colleague.get(`/staff/tickets/${b.ticket.reference}`).expect(200);
    await colleague
      .post(`/staff/tickets/${b.ticket.reference}/claim`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(ticketPage.text), version: /name="version" value="(\d+)"/.exec(ticketPage.text)?.[1] })
      .expect(303);

    const res = await agent
      .post('/staff/bulk')
      .type('form')
      .send({
        _csrf: csrf,
        back: '',
        action: 'status',
        status: 'closed',
        tickets: [boxes.get(a.ticket.reference), boxes.get(b.ticket.reference)],
      })
      .expect(409);
    assert.deepEqual(codes(res.text), ['stale_selection']);
    assert.match(res.text, new RegExp(`Nothing was changed: ${b.ticket.reference} was changed by someone else`));
    assert.match(res.text, /<tr class="stale">[\s\S]*?Changed by someone else/);
    assert.match(
      res.text,
      new RegExp(`value="${a.ticket.id}:1" id="select-${a.ticket.id}" aria-label="[^"]+" checked`),
      'the selection is kept',
    );
    const statuses = await t.db('tickets').whereIn('id', [a.ticket.id, b.ticket.id]).orderBy('id').pluck('status');
    assert.deepEqual(statuses, ['new', 'open'], 'neither ticket was closed');
    assert.equal(
      await t
        .db('ticket_events')
        .where({ action: 'status_changed' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    assert.equal((await t.db('audit_log').where('action', 'like', 'ticket.bulk%')).length, 0);
  });

  it('refuses an empty selection, a status that does not exist, an unknown assignee, a bad tag and a refused request, changing nothing', async () => {
    const a = await buildTicket(t, { subject: 'Some ticket' });
    const box = (await queuePage()).boxes.get(a.ticket.reference) as string;
    let res = await bulk({ action: 'status', status: 'closed' });
    assert.equal(res.status, 400);
    assert.deepEqual(codes(res.text), ['nothing_selected']);
    res = await bulk({ action: 'status', status: 'archived', tickets: box });
    assert.equal(res.status, 400);
    assert.deepEqual(codes(res.text), ['invalid_status']);
    res = await bulk({ action: 'status', status: 'rejected', tickets: box });
    assert.deepEqual(codes(res.text), ['invalid_status'], 'refusing a request is not a bulk action');
    res = await bulk({ action: 'assign', assigneeId: '99999', tickets: box });
    assert.equal(res.status, 400);
    assert.deepEqual(codes(res.text), ['unknown_staff']);
    res = await bulk({ action: 'tag', tag: 'no <html> here', tickets: box });
    assert.deepEqual(codes(res.text), ['invalid_tag']);
    res = await bulk({ action: 'tag', tag: 'x'.repeat(41), tickets: box });
    assert.deepEqual(codes(res.text), ['invalid_tag']);
    res = await bulk({ action: 'delete', tickets: box });
    assert.deepEqual(codes(res.text), ['invalid_action']);
    res = await bulk({ action: 'status', status: 'closed', tickets: 'not-a-ticket' });
    assert.deepEqual(codes(res.text), ['invalid']);

    const refused = await buildTicket(t, {
      subject: 'Should I sue?',
      body: 'Should I sue my landlord and what motion should I file to win?',
    });
    assert.equal(refused.ticket.status, 'rejected');
    const refusedBox = (await queuePage({ status: 'rejected' })).boxes.get(refused.ticket.reference) as string;
    res = await bulk({ action: 'status', status: 'open', tickets: refusedBox }, { status: 'rejected' });
    assert.equal(res.status, 400);
    assert.deepEqual(codes(res.text), ['rejected_selected']);

    assert.deepEqual(await t.db('ticket_events').pluck('action'), []);
    assert.deepEqual(await t.db('ticket_tags').pluck('tag'), []);
  });

  it('saves, applies and deletes filters for each staff member alone', async () => {
    await request('Forgot my password', 'I forgot my CM/ECF password.');
    const page = await agent
      .get('/staff')
      .query({ owner: 'unassigned', topic: 'accounts-and-access', q: 'password' })
      .expect(200);
    const query = /name="query" value="([^"]*)"/.exec(page.text)?.[1].replace(/&amp;/g, '&') as string;
    let res = await agent
      .post('/staff/filters')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), name: 'My passwords', query })
      .expect(303);
    res = await agent.get(res.headers.location as string).expect(200);
    assert.match(res.text, /Filter saved/);
    const saved = /<a href="(\/staff\?[^"]+)"[^>]*>My passwords<\/a>/.exec(res.text)?.[1].replace(/&amp;/g, '&') as string;
    assert.equal(saved, '/staff?owner=unassigned&q=password&topic=accounts-and-access');
    assert.equal((await agent.get(saved).expect(200)).text.match(/My passwords<\/a>/)?.length, 1);

    res = await agent
      .post('/staff/filters')
      .type('form')
      .send({ _csrf: csrfTokenFrom(res.text), name: '  ', query })
      .expect(400);
    assert.match(res.text, /Give the filter a name/);

    const colleague = await signedInAgent(t, await buildStaff(t, { name: 'Robin Clerk' }));
    const theirs = await colleague.get('/staff').expect(200);
    assert.doesNotMatch(theirs.text, /My passwords/);
    const [{ id }] = (await t.db('saved_filters').select('id')) as Array<{ id: number }>;
    await colleague
      .post(`/staff/filters/${id}/delete`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(theirs.text) })
      .expect(404);
    assert.equal((await t.db('saved_filters')).length, 1);

    res = await agent
      .post(`/staff/filters/${id}/delete`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    assert.equal(res.headers.location, '/staff?done=filter-deleted');
    assert.equal((await t.db('saved_filters')).length, 0);
  });

  it('finds a ticket through a word typed with one or two typos, and searches a correctly typed word as typed', async () => {
    const pacer = await buildTicket(t, {
      subject: 'Registration question',
      body: 'My PACER password does not work after the upgrade.',
    });
    const exhibit = await buildTicket(t, { subject: 'Exhibits', body: 'The attachment was rejected.' });
    await buildTicket(t, { subject: 'How do I pay', body: 'Where is the page to pay the fee?' });
    for (const q of ['pasword', 'passwrod', 'registartion', 'regstraton', 'pasword upgrde', 'PASWORD']) {
      const res = await agent.get('/staff').query({ q }).expect(200);
      assert.deepEqual(listed(res.text), [pacer.ticket.reference], q);
    }
    let res = await agent.get('/staff').query({ q: 'pasword' }).expect(200);
    assert.match(res.text, /No ticket holds “pasword”, so the search also looked for password/);
    res = await agent.get('/staff').query({ q: 'exhibits' }).expect(200);
    assert.deepEqual(listed(res.text), [exhibit.ticket.reference]);
    assert.doesNotMatch(res.text, /also looked for/);
    res = await agent.get('/staff').query({ q: 'xqzvwk' }).expect(200);
    assert.deepEqual(listed(res.text), [], 'a word near nothing finds nothing');
    res = await agent.get('/staff').query({ q: 'pasword attachment' }).expect(200);
    assert.deepEqual(listed(res.text), [], 'every word must still match');
  });
});

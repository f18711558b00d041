import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

describe('working the queue', () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof buildStaff>>;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeEach(async () => {
    t = await buildTestApp();
    staff = await buildStaff(t, { name: 'Sam Agent' });
    agent = await signedInAgent(t, staff);
  });
  afterEach(() => t.close());

  async function ticketPage(reference: string) {
    const page = await agent.get(`/staff/tickets/${reference}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
    return { page, version, csrf: csrfTokenFrom(page.text) };
  }

  async function act(reference: string, action: string, fields: Record<string, string>) {
    const { version, csrf } = await ticketPage(reference);
    return agent
      .post(`/staff/tickets/${reference}/${action}`)
      .type('form')
      .send({ _csrf: csrf, version, ...fields });
  }

  it('lists active tickets with reference, requester, case numbers, status, due time, and counts per status', async () => {
    const a = await buildTicket(t, { subject: 'PDF upload fails', body: 'Case 3:24-cv-01234-JST upload error.' });
    await buildTicket(t, { subject: 'Second request' });
    const res = await agent.get('/staff').expect(200);
    assert.match(res.text, new RegExp(a.ticket.reference));
    assert.match(res.text, /3:24-cv-01234/);
    assert.match(res.text, /Pat Filer/);
    assert.match(res.text, /New <span class="count">\(2\)<\/span>/);
    assert.match(res.text, /Active <span class="count">\(2\)<\/span>/);
  });

  it('searches subjects and messages with full-text search, and finds a ticket by reference or case number', async () => {
    const pdf = await buildTicket(t, { subject: 'Upload problem', body: 'The exhibit PDF is rejected as too large.' });
    const other = await buildTicket(t, {
      subject: 'Password reset',
      body: 'Locked out after reset.',
      caseNumber: '1:20-cv-08924',
    });
    let res = await agent.get('/staff').query({ q: 'exhib' }).expect(200);
    assert.match(res.text, new RegExp(pdf.ticket.reference));
    assert.doesNotMatch(res.text, new RegExp(other.ticket.reference));
    res = await agent.get('/staff').query({ q: other.ticket.reference }).expect(200);
    assert.match(res.text, new RegExp(other.ticket.reference));
    assert.doesNotMatch(res.text, new RegExp(pdf.ticket.reference));
    res = await agent.get('/staff').query({ q: '1:20-cv-8924' }).expect(200);
    assert.match(res.text, new RegExp(other.ticket.reference));
    res = await agent.get('/staff').query({ q: '"exhibit*):' }).expect(200);
    assert.match(res.text, new RegExp(pdf.ticket.reference), 'FTS syntax typed by staff is searched as plain words');
    await agent.get('/staff').query({ q: '" * ( ) : ^' }).expect(200);
    res = await agent.get('/staff').query({ q: 'rejecting exhibits' }).expect(200);
    assert.match(res.text, new RegExp(pdf.ticket.reference), 'whole words match by stem');
  });

  it('finds a ticket whose search words are spread over its subject and messages, common words included', async () => {
    const pdf = await buildTicket(t, { subject: 'Upload problem', body: 'The exhibit PDF is rejected as too large.' });
    await buildTicket(t, { subject: 'Upload works', body: 'Thanks.' });
    for (const q of ['upload exhibit', 'the upload problem', 'problem rejected exhib']) {
      const res = await agent.get('/staff').query({ q }).expect(200);
      const found = [...res.text.matchAll(/href="\/staff\/tickets\/(HD-\d{4}-\d{6})"/g)].map((m) => m[1]);
      assert.deepEqual(found, [pdf.ticket.reference], q);
    }
  });

  it('pages through the queue with a cursor, without repeating or skipping a ticket', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 120; i += 1) refs.push((await buildTicket(t, { subject: `Ticket ${i}` })).ticket.reference);
    const seen: string[] = [];
    let url: string | null = '/staff?status=all';
    while (url) {
      const res: request.Response = await agent.get(url).expect(200);
      seen.push(...[...res.text.matchAll(/href="\/staff\/tickets\/(HD-\d{4}-\d{6})"/g)].map((m) => m[1]));
      url = /<a href="([^"]+)">Next page<\/a>/.exec(res.text)?.[1].replace(/&amp;/g, '&') ?? null;
    }
    assert.deepEqual(seen, [...refs].reverse());
  });

  it('filters mine, unassigned, with a case number', async () => {
    const mine = await buildTicket(t, { subject: 'Mine', caseNumber: '2:21-cv-00080' });
    const theirs = await buildTicket(t, { subject: 'Unassigned one' });
    await act(mine.ticket.reference, 'claim', {});
    let res = await agent.get('/staff').query({ owner: 'mine' });
    assert.match(res.text, new RegExp(mine.ticket.reference));
    assert.doesNotMatch(res.text, new RegExp(theirs.ticket.reference));
    res = await agent.get('/staff').query({ owner: 'unassigned' });
    assert.doesNotMatch(res.text, new RegExp(mine.ticket.reference));
    res = await agent.get('/staff').query({ hasCaseNumber: '1' });
    assert.match(res.text, new RegExp(mine.ticket.reference));
    assert.doesNotMatch(res.text, new RegExp(theirs.ticket.reference));
  });

  it('claims, replies, notes and resolves; the filer sees the reply but never the note; history records each step', async () => {
    const { ticket, statusToken } = await buildTicket(t);
    await act(ticket.reference, 'claim', {}).then((r) => assert.equal(r.status, 303));
    await act(ticket.reference, 'reply', { body: 'Please clear your browser cache and try again.' }).then((r) =>
      assert.equal(r.status, 303),
    );
    await act(ticket.reference, 'note', { body: 'Internal: filer called twice.' }).then((r) => assert.equal(r.status, 303));
    await act(ticket.reference, 'status', { status: 'resolved' }).then((r) => assert.equal(r.status, 303));

    const filerView = await request(t.app).get(`/requests/${statusToken}`).expect(200);
    assert.match(filerView.text, /Please clear your browser cache/);
    assert.doesNotMatch(filerView.text, /filer called twice/);
    assert.match(filerView.text, /Answered/);

    const { page } = await ticketPage(ticket.reference);
    assert.match(page.text, /Internal: filer called twice\./);
    assert.match(page.text, /staff only/);
    const events = await t.db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id');
    assert.deepEqual(
      events.map((e) => [e.actor, e.action]),
      [
        [`staff:${staff.id}`, 'claimed'],
        [`staff:${staff.id}`, 'replied'],
        [`staff:${staff.id}`, 'noted'],
        [`staff:${staff.id}`, 'status_changed'],
      ],
    );
    assert.deepEqual(JSON.parse(events[3].before), { status: 'waiting' });
    assert.deepEqual(JSON.parse(events[3].after), { status: 'resolved' });
    const row = await t.db('tickets').where({ id: ticket.id }).first();
    assert.ok(row.first_response_at, 'the first reply is recorded as the first response');
  });

  it('refuses a reply written against a stale version, keeps the text, and shows who else is on the ticket', async () => {
    const { ticket } = await buildTicket(t);
    const other = await signedInAgent(t, await buildStaff(t, { name: 'Robin Other' }));
    const mine = await ticketPage(ticket.reference);
    const theirs = await other.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.match(theirs.text, /Also looking at this ticket now: Sam Agent/);
    await other
      .post(`/staff/tickets/${ticket.reference}/reply`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(theirs.text),
        version: /name="version" value="(\d+)"/.exec(theirs.text)?.[1],
        body: 'First answer.',
      })
      .expect(303);
    const stale = await agent
      .post(`/staff/tickets/${ticket.reference}/reply`)
      .type('form')
      .send({ _csrf: mine.csrf, version: mine.version, body: 'My late answer.' })
      .expect(409);
    assert.match(stale.text, /Someone else changed this ticket/);
    assert.match(stale.text, />My late answer\.<\/textarea>/);
    assert.match(stale.text, /First answer\./);
    assert.equal((await t.db('ticket_messages').where({ ticket_id: ticket.id, direction: 'out' })).length, 1);
  });

  it('refuses an empty reply and an unknown action clearly', async () => {
    const { ticket } = await buildTicket(t);
    const res = await act(ticket.reference, 'reply', { body: '   ' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Write something before sending/);
    const unknown = await act(ticket.reference, 'delete', {});
    assert.equal(unknown.status, 404);
    await agent.get('/staff/tickets/HD-2026-999999').expect(404);
  });

  it('merges a duplicate: its messages move, its status link leads to the combined ticket', async () => {
    const original = await buildTicket(t, { subject: 'Cannot log in', body: 'First message.' });
    const duplicate = await buildTicket(t, {
      subject: 'Cannot log in again',
      body: 'Second message.',
      caseNumber: '3:20-cv-01234',
    });
    const bad = await act(duplicate.ticket.reference, 'merge', { into: 'HD-2026-999999' });
    assert.equal(bad.status, 400);
    const res = await act(duplicate.ticket.reference, 'merge', { into: original.ticket.reference });
    assert.equal(res.headers.location, `/staff/tickets/${original.ticket.reference}?done=merge`);
    const combined = await agent.get(res.headers.location).expect(200);
    assert.match(combined.text, /First message\./);
    assert.match(combined.text, /Second message\./);
    assert.match(combined.text, /3:20-cv-01234/);
    const viaDuplicateLink = await request(t.app).get(`/requests/${duplicate.statusToken}`).expect(200);
    assert.match(viaDuplicateLink.text, new RegExp(original.ticket.reference));
    const queue = await agent.get('/staff?status=all');
    assert.doesNotMatch(queue.text, new RegExp(`tickets/${duplicate.ticket.reference}`));
    const search = await agent.get('/staff').query({ q: 'Second message' });
    assert.match(search.text, new RegExp(original.ticket.reference));
  });

  it('inserts an FAQ answer into the reply box as a canned reply', async () => {
    const { ticket } = await buildTicket(t);
    const res = await agent.get(`/staff/tickets/${ticket.reference}`).query({ insert: 'forgot-password' }).expect(200);
    assert.match(
      res.text,
      /<textarea id="reply-body" name="body" rows="8">In NextGen CM\/ECF you sign in with your PACER account/,
    );
  });

  it('shows HTML typed by a filer as text on staff pages', async () => {
    const { ticket } = await buildTicket(t, { subject: '<img src=x onerror=alert(1)>', body: '<script>alert(2)</script>' });
    const page = await agent.get(`/staff/tickets/${ticket.reference}`).expect(200);
    assert.ok(!page.text.includes('<script>alert(2)'));
    assert.ok(!page.text.includes('<img src=x'));
    const queue = await agent.get('/staff').expect(200);
    assert.ok(!queue.text.includes('<img src=x'));
  });
});

import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildReviewTicket, buildStaff, csrfTokenFrom, signedInAgent, ticketInput } from '../helpers/factories';

const WEDNESDAY_9AM = new Date('2027-03-10T17:00:00Z'); // 09:00 Pacific
const HOUR = 3_600_000;

/** The text of the element with this id on a page, tags removed and spaces collapsed. */
function section(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `no element #${id} on the page`);
  const start = html.indexOf('>', at) + 1;
  const end = html.indexOf('</section>', start);
  return html
    .slice(start, end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([:.,;)])/g, '$1');
}

describe('the staff ticket page', () => {
  let t: TestApp;
  let clock: Date;
  let staff: Awaited<ReturnType<typeof buildStaff>>;
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeEach(async () => {
    clock = WEDNESDAY_9AM;
    t = await buildTestApp({ now: () => clock });
    staff = await buildStaff(t, { name: 'Ada Agent' });
    agent = await signedInAgent(t, staff);
  });
  afterEach(() => t.close());

  const create = (overrides: Parameters<typeof ticketInput>[0] = {}) => t.services.tickets.create(ticketInput(overrides), 'web');

  async function page(reference: string) {
    const res = await agent.get(`/staff/tickets/${reference}`).expect(200);
    return {
      html: res.text,
      version: /name="version" value="(\d+)"/.exec(res.text)?.[1] as string,
      csrf: csrfTokenFrom(res.text),
    };
  }

  async function act(reference: string, action: string, fields: Record<string, string> = {}) {
    const { version, csrf } = await page(reference);
    return agent
      .post(`/staff/tickets/${reference}/${action}`)
      .type('form')
      .send({ _csrf: csrf, version, ...fields })
      .expect(303);
  }

  it("lists the requester's other requests and callbacks by their email, masked, and no one else's", async () => {
    const older = await create({ subject: 'My SSN 123-45-6789 shows on a docket', body: 'Please help.' });
    const other = await create({ email: 'someone.else@example.com', subject: 'Another person entirely' });
    const { ticket } = await create({ phone: '206-555-0142', subject: 'Cannot upload a PDF' });
    await request(t.app)
      .post('/api/callbacks')
      .send({
        name: 'Pat Filer',
        phone: '+44 20 7946 0958',
        email: 'pat.filer@example.com',
        start: '2027-03-11T10:00:00-08:00',
        topic: 'Upload help, SSN 123-45-6789',
      })
      .expect(201);
    await request(t.app)
      .post('/api/callbacks')
      .send({
        name: 'Someone',
        phone: '(206) 555-0199',
        email: 'someone.else@example.com',
        start: '2027-03-11T11:00:00-08:00',
        topic: 'Not theirs',
      })
      .expect(201);

    const { html } = await page(ticket.reference);
    const others = section(html, 'others-heading');
    assert.match(others, new RegExp(`${older.ticket.reference}: My SSN XXX-XX-6789 shows on a docket`));
    assert.match(others, /New · sent Wednesday, March 10, 2027 at 9:00 a\.m\. PST/);
    assert.doesNotMatch(others, new RegExp(other.ticket.reference));
    assert.doesNotMatch(others, new RegExp(ticket.reference), 'the ticket itself is not its own other request');
    const calls = section(html, 'callbacks-heading');
    assert.match(calls, /Thursday, March 11, 2027 at 10:00 a\.m\. PST: Booked/);
    assert.match(calls, /to \+44 20 7946 0958/, 'a number from another country in international form');
    assert.match(calls, /Upload help, SSN XXX-XX-6789/);
    assert.doesNotMatch(calls, /Not theirs|123-45-6789/);
    assert.doesNotMatch(html, /123-45-6789/);
    // The requester's own phone as people write it in the United States, and callable from the page.
    assert.match(section(html, 'details-heading'), /\(206\) 555-0142/);
    assert.match(html, /href="tel:\+12065550142"/);
  });

  it('tells the history in words, never the JSON it is kept as', async () => {
    const colleague = await buildStaff(t, { name: 'Bo Colleague' });
    const { ticket } = await create();
    await act(ticket.reference, 'claim');
    await act(ticket.reference, 'assign', { assigneeId: String(colleague.id) });
    await act(ticket.reference, 'reply', { body: 'Please try again.' });
    await act(ticket.reference, 'note', { body: 'Called them too.' });
    await act(ticket.reference, 'status', { status: 'resolved' });
    await act(ticket.reference, 'assign', { assigneeId: '' });

    const history = section((await page(ticket.reference)).html, 'history-heading');
    assert.match(history, /The filer sent the request through the web form\./);
    assert.match(history, /Ada Agent claimed it \(was unassigned\); status changed from New to Open\./);
    assert.match(history, /Ada Agent assigned it to Bo Colleague \(was assigned to Ada Agent\)\./);
    assert.match(history, /Ada Agent replied to the filer; status changed from Open to Waiting for the filer\./);
    assert.match(history, /Ada Agent added a note \(staff only\)\./);
    assert.match(history, /Status changed from Waiting for the filer to Resolved by Ada Agent\./);
    assert.match(history, /Ada Agent unassigned it \(was assigned to Bo Colleague\)\./);
    assert.doesNotMatch(history, /[{}"]|assigneeId|null/);
  });

  it('shows flags and the reasons for them in plain words, not their codes', async () => {
    const { ticket } = await buildReviewTicket(t, { body: 'Should I file a motion to dismiss? My SSN is 123-45-6789.' });
    await t
      .db('tickets')
      .where({ id: ticket.id })
      .update({ flags: JSON.stringify(['needs_review', 'privacy_redacted', 'review_requested']) });
    const { html } = await page(ticket.reference);
    const details = section(html, 'details-heading');
    assert.match(
      details,
      /Flags needs a person to check it is a CM\/ECF question private numbers hidden filer says it is a CM\/ECF question/,
    );
    assert.match(section(html, 'policy-heading'), /Reads like a request for legal advice/);
    const visible = html.replace(/<[^>]+>/g, ' ');
    assert.doesNotMatch(visible, /needs_review|privacy_redacted|review_requested|legal_advice|judge_contact/);
  });

  it('shows the language of the request, and asks for the reply in it', async () => {
    const { ticket } = await create({
      subject: 'No puedo entrar al sistema',
      body: 'Hola, no puedo entrar a mi cuenta de CM/ECF desde ayer. ¿Me pueden ayudar con la contraseña? Gracias.',
    });
    const { html } = await page(ticket.reference);
    assert.match(section(html, 'details-heading'), /Language Spanish \(español\)/);
    assert.match(
      section(html, 'reply-heading'),
      /This request is written in Spanish \(español\): please reply in that language\./,
    );
    const english = await create();
    assert.match(section((await page(english.ticket.reference)).html, 'details-heading'), /Language English/);
  });

  it('offers first the FAQ answers that match the request, then the rest by category', async () => {
    const { ticket } = await create({
      subject: 'Forgot my password',
      body: 'I forgot my PACER password and cannot log in to file.',
    });
    const { html } = await page(ticket.reference);
    const picker = /<select id="answer"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] as string;
    const groups = [...picker.matchAll(/<optgroup label="([^"]+)">([\s\S]*?)<\/optgroup>/g)];
    assert.equal(groups[0][1], 'Matching this request');
    assert.match(groups[0][2], /value="forgot-password"/);
    const ids = [...picker.matchAll(/value="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'each answer once');
    assert.ok(ids.length > 50, 'every answer is offered');
  });

  it('inserts an FAQ answer without losing the draft: a POST of the form, lists and link kept', async () => {
    const { ticket } = await create();
    const { version, csrf } = await page(ticket.reference);
    const draft = 'Hello Pat,\n\nThanks for writing.';
    const res = await agent
      .post(`/staff/tickets/${ticket.reference}/insert`)
      .type('form')
      .send({ _csrf: csrf, version, answer: 'forgot-password', body: draft })
      .expect(200);
    const textarea = /<textarea id="reply-body" name="body" rows="8">([\s\S]*?)<\/textarea>/.exec(res.text)?.[1] as string;
    assert.ok(
      textarea.startsWith('Hello Pat,\n\nThanks for writing.\n\nIn NextGen CM/ECF you sign in with your PACER account'),
      textarea,
    );
    assert.match(textarea, /\n1\. Go to the PACER sign-in page/);
    assert.match(textarea, /\n2\. Choose Forgot Password\?/);
    assert.match(textarea, /\n- If your email address on PACER is out of date/);
    assert.match(textarea, /https?:\/\/[^\s]+\/faq\/forgot-password$/);
    assert.match(res.text, /Inserted the answer “I forgot my CM\/ECF password or username/);
    assert.match(res.text, /<option value="forgot-password" selected>/);
    assert.equal((await t.db('ticket_messages').where({ ticket_id: ticket.id })).length, 1, 'nothing is saved or sent');

    const json = await agent
      .post(`/staff/tickets/${ticket.reference}/insert`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, answer: 'forgot-password' })
      .expect(200);
    assert.equal(json.body.title, 'I forgot my CM/ECF password or username. How do I reset it?');
    assert.match(json.body.text, /^In NextGen CM\/ECF[\s\S]*\n1\. Go to the PACER sign-in page/);

    const unknown = await agent
      .post(`/staff/tickets/${ticket.reference}/insert`)
      .type('form')
      .send({ _csrf: csrf, answer: 'no-such-answer', body: draft })
      .expect(400);
    assert.match(unknown.text, /That FAQ answer no longer exists/);
    assert.match(unknown.text, />Hello Pat,\n\nThanks for writing\.<\/textarea>/);
    await agent
      .post(`/staff/tickets/${ticket.reference}/insert`)
      .type('form')
      .send({ answer: 'forgot-password', body: draft })
      .expect(403);
  });

  it('inserts the answer in the language of a Spanish request, with its link to the Spanish page', async () => {
    const { ticket } = await create();
    await t.db('tickets').where({ id: ticket.id }).update({ language: 'es' });
    const { csrf } = await page(ticket.reference);
    const json = await agent
      .post(`/staff/tickets/${ticket.reference}/insert`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, answer: 'forgot-password' })
      .expect(200);
    const spanish = await t.db('faq_answers').where({ id: 'forgot-password', language: 'es' }).first();
    assert.ok(spanish, 'the Spanish answer is seeded');
    assert.notEqual(json.body.title, 'I forgot my CM/ECF password or username. How do I reset it?');
    assert.match(json.body.text, /La respuesta completa, con enlaces: https?:\/\/[^\s]+\/faq\/forgot-password\?lang=es$/);
    assert.doesNotMatch(json.body.text, /In NextGen CM\/ECF you sign in/);
  });

  it('shows the resolution target beside the first response, paused while the ticket waits for the filer', async () => {
    const { ticket, statusToken } = await create();
    let details = section((await page(ticket.reference)).html, 'details-heading');
    // 21 business hours from Wednesday 9:00, in 7-hour days: Friday at closing time.
    assert.match(details, /First response Due Wednesday, March 10, 2027 at 11:00 a\.m\. PST/);
    assert.match(details, /Resolution Resolve by Friday, March 12, 2027 at 4:00 p\.m\. PST/);
    assert.match(details, /0 of 21 business hours used/);

    clock = new Date(WEDNESDAY_9AM.getTime() + 2 * HOUR);
    await act(ticket.reference, 'reply', { body: 'Does this help?' });
    clock = new Date(WEDNESDAY_9AM.getTime() + 26 * HOUR); // Thursday 11:00
    agent = await signedInAgent(t, staff); // a day later: yesterday's session has ended
    details = section((await page(ticket.reference)).html, 'details-heading');
    assert.match(details, /Resolution Paused while waiting for the filer/);
    assert.match(details, /2 of 21 business hours used; time waiting for the filer does not count/);

    // The filer answers on Thursday at 11:00: the clock runs again, with 19 hours left, to Monday's closing.
    await t.services.tickets.replyAsRequester(statusToken, 'Not yet, sorry.');
    clock = new Date(WEDNESDAY_9AM.getTime() + 27 * HOUR);
    details = section((await page(ticket.reference)).html, 'details-heading');
    // Daylight-saving time begins on Sunday, March 14: the clock counts court hours, not elapsed ones.
    assert.match(details, /Resolution Resolve by Monday, March 15, 2027 at 4:00 p\.m\. PDT/);
    assert.match(details, /3 of 21 business hours used/);

    clock = new Date(WEDNESDAY_9AM.getTime() + 28 * HOUR);
    await act(ticket.reference, 'status', { status: 'resolved' });
    details = section((await page(ticket.reference)).html, 'details-heading');
    assert.match(details, /Resolution Resolved in 4 business hours: within the target/);
  });

  it('lets each staff member turn their notification emails on and off on their account page', async () => {
    let res = await agent.get('/staff/account').expect(200);
    assert.match(res.text, /<input id="notify-filer-replies" name="filerReplies" type="checkbox" value="on"[^>]* checked>/);
    assert.match(res.text, /<input id="notify-daily-summary" name="dailySummary" type="checkbox" value="on"[^>]* checked>/);
    await agent
      .post('/staff/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenFrom(res.text), dailySummary: 'on' })
      .expect(303)
      .expect('location', '/staff/account?done=notifications#notifications');
    const row = await t.db('staff_users').where({ id: staff.id }).first();
    assert.equal(Boolean(row.notify_filer_replies), false);
    assert.equal(Boolean(row.notify_daily_summary), true);
    res = await agent.get('/staff/account?done=notifications').expect(200);
    assert.match(res.text, /Your email notification choices are saved\./);
    assert.doesNotMatch(res.text, /name="filerReplies" type="checkbox" value="on"[^>]* checked/);
  });
});

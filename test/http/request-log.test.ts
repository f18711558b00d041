import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom } from '../helpers/factories';

const now = () => new Date('2027-03-10T17:00:00Z'); // Wednesday 09:00 PST: callbacks can be booked

/** A plain pino logger at info writing into memory, as a court's log collector would receive it. */
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

/** The `req.url` of every request line logged. */
function loggedUrls(lines: string[]): string[] {
  return lines.map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url).filter((u): u is string => Boolean(u));
}

describe('the HTTP request log', () => {
  let t: TestApp;
  let log: ReturnType<typeof capturedLog>;
  beforeEach(async () => {
    log = capturedLog();
    t = await buildTestApp({ now, deps: { logger: log.logger } });
  });
  afterEach(() => t.close());

  it('logs every request with its path, but no cookie, Set-Cookie, token, Location or query text', async () => {
    // A filer's request through the form, which redirects to the private link.
    const filer = request.agent(t.app);
    const form = await filer.get('/help').expect(200);
    const formCsrf = csrfTokenFrom(form.text);
    const sent = await filer
      .post('/help')
      .type('form')
      .send({
        _csrf: formCsrf,
        name: 'Pat Filer',
        email: 'pat.filer@example.com',
        subject: 'Cannot log in to CM/ECF',
        body: 'My SSN is 123-45-6789 and I cannot log in.',
        suggestionsSeen: 'yes',
      })
      .expect(303);
    const statusToken = /^\/requests\/([A-Za-z0-9_-]{43})\/received$/.exec(String(sent.headers.location))?.[1];
    assert.ok(statusToken, 'the form redirects to the private link');
    await filer.get(`/requests/${statusToken}/received`).expect(200);
    await filer.get(`/requests/${statusToken}`).expect(200);
    const { statusToken: otherToken } = await buildTicket(t);
    await filer.get(`/REQUESTS/${otherToken}?done=sent`).expect(200); // Express routes ignore case

    // A callback booked through the API, then its manage page and invitation.
    const booked = await request(t.app)
      .post('/api/callbacks')
      .send({
        name: 'Casey Caller',
        phone: '(206) 555-0142',
        email: 'casey@example.com',
        start: '2027-03-11T09:00:00-08:00',
        topic: 'PDF',
      })
      .expect(201);
    const manageToken = /\/callbacks\/manage\/([A-Za-z0-9_-]{43})$/.exec(String(booked.body.manageUrl))?.[1];
    assert.ok(manageToken);
    await filer.get(`/callbacks/manage/${manageToken}`).expect(200);
    await filer.get(new URL(String(booked.body.icsUrl)).pathname).expect(200);

    // An FAQ search with a private number in it.
    await filer.get('/faq?q=123-45-6789').expect(200);

    // A staff member signs in and searches the queue.
    const staff = await buildStaff(t);
    const agent = request.agent(t.app);
    const signInPage = await agent.get('/staff/sign-in').expect(200);
    const staffCsrf = csrfTokenFrom(signInPage.text);
    const signedIn = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: staffCsrf, email: staff.email, password: staff.password })
      .expect(303);
    const staffCookie = /hd_staff=([^;]+)/.exec(String(signedIn.headers['set-cookie']))?.[1];
    assert.ok(staffCookie, 'sign-in sets the staff cookie');
    await agent.get('/staff?q=987-65-4321&status=open').expect(200);
    await agent.get('/staff?q=Jordan+Secretname').expect(200);

    const text = log.lines.join('\n');
    assert.ok(log.lines.length >= 10, `requests are logged at info (${log.lines.length} lines)`);
    for (const [what, secret] of [
      ['the staff cookie', staffCookie],
      ['the status token', statusToken],
      ['the other status token', otherToken],
      ['the manage token', manageToken],
      ['the form CSRF token', formCsrf],
      ['the sign-in CSRF token', staffCsrf],
      ['a Social Security number', '123-45-6789'],
      ['a Social Security number searched by staff', '987-65-4321'],
      ['a name searched by staff', 'Secretname'],
    ])
      assert.ok(!text.includes(secret), `${what} is in the log`);
    for (const forbidden of [/hd_staff=/i, /set-cookie/i, /"cookie"/i, /"location"/i, /hd_csrf/i, /hd_client/i, /\?/, /"q"/])
      assert.doesNotMatch(text, forbidden);

    const urls = loggedUrls(log.lines);
    for (const expected of [
      '/help',
      '/requests/:token/received',
      '/requests/:token',
      '/callbacks/manage/:token',
      '/faq',
      '/staff/sign-in',
      '/staff',
    ])
      assert.ok(urls.includes(expected), `${expected} is logged (logged: ${urls.join(', ')})`);
    assert.ok(
      urls.some((u) => /^\/REQUESTS\/:token$/i.test(u)),
      'a path written in capitals is logged with its token replaced',
    );
    assert.ok(
      urls.some((u) => /^\/callbacks\/manage\/:token(\/|\.|$)/.test(u) && u !== '/callbacks/manage/:token'),
      'the invitation path is logged with its token replaced',
    );
  });

  it('logs a failed request without its body, cookies, query or token', async () => {
    // A broken database makes the filer's pages fail with a 500, which the error handler logs.
    const { statusToken } = await buildTicket(t);
    const filer = request.agent(t.app);
    const page = await filer.get(`/requests/${statusToken}`).expect(200);
    await t.db.raw('ALTER TABLE ticket_messages RENAME TO ticket_messages_gone');
    await filer
      .post(`/requests/${statusToken}/replies`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), body: 'Please call Zebulon Quarrington about it.' })
      .expect(500);
    await request(t.app)
      .get(`/requests/${statusToken}?secret=topsecret`)
      .set('Cookie', 'hd_client=clientsecretvalue')
      .expect(500);
    const failures = log.lines.filter((line) => (JSON.parse(line) as { msg?: string }).msg === 'request failed');
    assert.equal(failures.length, 2, 'the error handler logged both failures');
    assert.match(failures[0], /ticket_messages/, 'the log says what failed');
    for (const line of failures) {
      const { err } = JSON.parse(line) as { err: { type?: string; message?: string; stack?: string } };
      assert.ok(err.type && err.stack, 'the error is logged with its type and stack');
      assert.notEqual(err.message, '[object Object]');
    }
    const text = log.lines.join('\n');
    for (const secret of [statusToken, 'Zebulon', 'Quarrington', 'topsecret', 'clientsecretvalue'])
      assert.ok(!text.includes(secret), `${secret} is in the log`);
  });
});

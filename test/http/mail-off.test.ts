import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, buildTicket, csrfTokenFrom, signedInAgent } from '../helpers/factories';

/** Sends the request form through its confirmation step and returns the page the filer lands on. */
async function fileRequest(t: TestApp) {
  const agent = request.agent(t.app);
  const form = await agent.get('/help').expect(200);
  const fields = {
    _csrf: csrfTokenFrom(form.text),
    name: 'Pat Filer',
    email: 'pat.filer@example.com',
    subject: 'Cannot log in',
    body: 'After resetting my PACER password I get an error when I log in to file.',
    confirmed: 'yes', // past the "check your request" step
  };
  const res = await agent.post('/help').type('form').send(fields);
  return res.status === 303 ? agent.get(res.headers.location as string).expect(200) : res;
}

async function replyAsStaff(t: TestApp) {
  const staff = await buildStaff(t);
  const agent = await signedInAgent(t, staff);
  const { ticket } = await buildTicket(t);
  const page = await agent.get(`/staff/tickets/${ticket.reference}`).expect(200);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
  const res = await agent
    .post(`/staff/tickets/${ticket.reference}/reply`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), version, body: 'Please clear your browser cache and try again.' })
    .expect(303);
  return { agent, after: await agent.get(res.headers.location as string).expect(200) };
}

describe('telling the truth about email', () => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('with no mail relay configured', () => {
    beforeEach(async () => {
      t = await buildTestApp();
    });

    it('tells the filer the private link is not emailed, and the booking form that no confirmation is sent', async () => {
      const page = await fileRequest(t);
      assert.match(page.text, /We received your request/);
      assert.match(page.text, /cannot send email at the moment/);
      assert.doesNotMatch(page.text, /we also send it by email/i);
      const form = await request(t.app).get('/help').expect(200);
      assert.doesNotMatch(form.text, /We answer by email|We send our answer/);
      const booking = await request(t.app).get('/callbacks').expect(200);
      assert.doesNotMatch(booking.text, /We send the confirmation/);
      assert.match(booking.text, /cannot send email at the moment/);
    });

    it('shows staff a banner that filers are not notified, and says a reply was saved, not sent', async () => {
      const { after } = await replyAsStaff(t);
      assert.match(after.text, /Email is not set up: filers are not being notified/);
      assert.doesNotMatch(after.text, /Reply sent to the filer/);
      assert.match(after.text, /not emailed/);
    });
  });

  describe('with a mail relay configured', () => {
    beforeEach(async () => {
      t = await buildTestApp({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: '2', MAIL_FROM: 'helpdesk@example.gov' } });
    });

    it('says the link is emailed too, and staff see no banner', async () => {
      const page = await fileRequest(t);
      assert.match(page.text, /we also send it by email/i);
      assert.match((await request(t.app).get('/help').expect(200)).text, /We answer by email/);
      const { after } = await replyAsStaff(t);
      assert.match(after.text, /Reply sent to the filer/);
      assert.doesNotMatch(after.text, /Email is not set up/);
    });
  });
});

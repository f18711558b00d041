import assert from 'node:assert/strict';
import { formatReference } from '../../src/tickets/reference';
import { listMessages } from '../../src/tickets/tickets.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail } from '../helpers/mail-factories';

describe('emailed HTML shown to staff is masked', function () {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp({ env: { MAIL_FROM } });
  });
  afterEach(() => t.close());

  async function importMail(raw: Buffer) {
    const ids = await t.services.mail.intake.store([{ raw, source: 'import' as const }]);
    return t.services.mail.intake.processPending(ids);
  }

  it('masks a number the text part leaves out, in a link title and query, on the staff ticket page', async () => {
    await importMail(
      await rawMail({
        text: 'Please see the form, the upload fails.',
        html:
          '<p>Please see the <a href="https://forms.example/x?ssn=123456789" title="SSN 123-45-6789">form</a>, ' +
          'the upload fails.</p><table><tr><td>Date of birth</td><td>03/14/1985</td><td>2</td></tr></table>',
      }),
    );
    const ticket = await t.db('tickets').first();
    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get(`/staff/tickets/${formatReference(ticket.reference_year, ticket.id)}`).expect(200);
    assert.match(page.text, /<a href="https:\/\/forms\.example\/x\?ssn=XXX-XX-6789" title="SSN XXX-XX-6789"/);
    assert.match(page.text, /<td>XX\/XX\/1985<\/td>/);
    assert.doesNotMatch(page.text, /123-45-6789|123456789|03\/14\/1985/);
  });

  it('masks HTML that intake cleaned and kept before HTML was kept as received', async () => {
    await importMail(await rawMail({ text: 'Login fails', html: '<p>Login fails</p>' }));
    const message = await t.db('ticket_messages').first();
    await t
      .db('ticket_messages')
      .where({ id: message.id })
      .update({ html_clean: '<p>Login fails, SSN <b>123-45-6789</b></p>', html_received: null });
    const [read] = await listMessages(t.db, message.ticket_id);
    assert.equal(read.htmlClean, '<p>Login fails, SSN <b>XXX-XX-6789</b></p>');
  });
});

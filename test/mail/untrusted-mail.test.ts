import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail, testMessageId } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';

/** Imports raw messages through intake and delivers the outbox, as `mail:import` does. */
async function importMail(t: TestApp, ...raws: Buffer[]) {
  const ids = await t.services.mail.intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
  const outcomes = await t.services.mail.intake.processPending(ids);
  await t.services.mail.sender?.deliverDue();
  return outcomes;
}

const count = async (t: TestApp, table: string, where: Record<string, unknown> = {}) =>
  Number(((await t.db(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);

let bounceNumber = 0;

/**
 * A delivery status notification (RFC 3464) about `recipients`, from anyone. It points at the message
 * it reports on the way the caller says: In-Reply-To, the returned message (whole, or its headers
 * only), a quoted copy in the prose of a bounce without a report part, or not at all.
 */
function deliveryReport(
  recipients: string[],
  about: { inReplyTo?: string; returned?: 'message/rfc822' | 'text/rfc822-headers'; quoted?: boolean; messageId?: string } = {},
): Buffer {
  bounceNumber += 1;
  const returnedHeaders = [`From: ${MAIL_FROM}`, `To: ${recipients[0]}`, 'Subject: We received your request'];
  if (about.messageId) returnedHeaders.push(`Message-ID: ${about.messageId}`);
  if (about.quoted)
    return Buffer.from(
      [
        'From: MAILER-DAEMON@mx.firm.example',
        `To: ${MAIL_FROM}`,
        'Subject: failure notice',
        `Message-ID: <prose-bounce.${bounceNumber}@mx.firm.example>`,
        '',
        "Sorry, I couldn't deliver your message to the following address:",
        `<${recipients[0]}>: 550 5.1.1 mailbox unavailable`,
        '',
        '--- Below this line is a copy of the message.',
        '',
        ...returnedHeaders,
        '',
        'Thank you for writing.',
        '',
      ].join('\r\n'),
    );
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.firm.example>',
      `To: ${MAIL_FROM}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <bounce.${bounceNumber}@mx.firm.example>`,
      ...(about.inReplyTo ? [`In-Reply-To: ${about.inReplyTo}`] : []),
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.firm.example',
      ...recipients.flatMap((address) => [
        '',
        `Final-Recipient: rfc822; ${address}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      ]),
      ...(about.returned ? ['--b1', `Content-Type: ${about.returned}`, '', ...returnedHeaders, ''] : []),
      ...(about.returned === 'message/rfc822' ? ['Thank you for writing.'] : []),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

describe('mail that must not be trusted, and mail that must not be lost', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;

  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(async () => {
    await smtp.stop();
  });
  beforeEach(async () => {
    smtp.clear();
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM } });
  });
  afterEach(async () => {
    await t.close();
  });

  /** The Message-ID of the latest message the helpdesk queued for `to`. */
  const lastSentTo = async (to: string) =>
    ((await t.db('outbox').where({ to_address: to }).orderBy('id', 'desc').first('message_id')) as { message_id: string })
      .message_id;

  const undeliverable = async (address: string) =>
    (await t.db('mail_addresses').where({ address }).first()) as { hard_bounces: number; undeliverable: number } | undefined;

  it('does not let forged delivery reports silence mail to a filer: only reports about a message we sent count', async () => {
    await importMail(t, await rawMail({ from: 'filer@firm.example', subject: 'First request' }));
    await importMail(t, await rawMail({ from: 'mallory@elsewhere.example', subject: 'Mine' }));
    const mallorysAck = await lastSentTo('mallory@elsewhere.example');

    // Three reports from anyone, one report naming the filer three times, and one that points at a
    // message we sent to someone else: kept, shown, counted for nothing.
    const forged = [
      deliveryReport(['filer@firm.example']),
      deliveryReport(['filer@firm.example']),
      deliveryReport(['filer@firm.example']),
      deliveryReport(['filer@firm.example', 'filer@firm.example', 'Filer@Firm.example']),
      deliveryReport(['filer@firm.example'], { inReplyTo: mallorysAck, returned: 'text/rfc822-headers', messageId: mallorysAck }),
    ];
    const outcomes = await importMail(t, ...forged);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'processed' && o.kind),
      ['bounce', 'bounce', 'bounce', 'bounce', 'bounce'],
    );
    assert.equal(await undeliverable('filer@firm.example'), undefined, 'no forged report counts');
    assert.equal(await count(t, 'mail_bounces'), 5, 'every report is kept, an address named twice in one once');

    await importMail(t, await rawMail({ from: 'filer@firm.example', subject: 'Second request' }));
    const second = await t.db('outbox').orderBy('id', 'desc').first();
    assert.equal(second.to_address, 'filer@firm.example');
    assert.equal(second.status, 'sent', 'the filer still gets mail');

    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get('/staff/mail').expect(200);
    assert.match(page.text, /refers to no message the helpdesk sent/i);
  });

  it('counts a real delivery failure once per message we sent, however it points at the message', async () => {
    const acks: string[] = [];
    for (const subject of ['One', 'Two', 'Three']) {
      await importMail(t, await rawMail({ from: 'gone@firm.example', subject }));
      acks.push(await lastSentTo('gone@firm.example'));
    }
    // The first acknowledgement bounces, reported three times, three ways: it counts once.
    await importMail(t, deliveryReport(['gone@firm.example'], { returned: 'text/rfc822-headers', messageId: acks[0] }));
    await importMail(t, deliveryReport(['gone@firm.example'], { returned: 'message/rfc822', messageId: acks[0] }));
    await importMail(t, deliveryReport(['gone@firm.example'], { inReplyTo: acks[0] }));
    assert.equal((await undeliverable('gone@firm.example'))?.hard_bounces, 1);
    assert.equal(Boolean((await undeliverable('gone@firm.example'))?.undeliverable), false);

    // Two more messages bounce, one reported by a mail server that only quotes the message back.
    await importMail(t, deliveryReport(['gone@firm.example'], { quoted: true, messageId: acks[1] }));
    await importMail(t, deliveryReport(['gone@firm.example'], { returned: 'message/rfc822', messageId: acks[2] }));
    const state = await undeliverable('gone@firm.example');
    assert.equal(state?.hard_bounces, 3);
    assert.equal(Boolean(state?.undeliverable), true);

    await importMail(t, await rawMail({ from: 'gone@firm.example', subject: 'Fourth request' }));
    const queued = await t.db('outbox').orderBy('id', 'desc').first();
    assert.equal(queued.status, 'suppressed');
    assert.equal(queued.suppressed_reason, 'undeliverable');
  });

  it('stores and processes a different message that arrives with a stored Message-ID, and flags it for staff', async () => {
    const messageId = testMessageId();
    const first = await rawMail({ messageId, subject: 'Cannot log in' });
    const other = await rawMail({
      messageId,
      from: '"Lee Colleague" <lee@firm.example>',
      subject: 'A different question',
      text: 'How do I add a second attorney to my account?',
    });
    await importMail(t, first);
    const [outcome] = await importMail(t, other);
    assert.equal(outcome?.status === 'processed' && outcome.kind, 'new', 'the second message is not dropped');
    const rows = (await t.db('inbound_mail').orderBy('id').select('id', 'duplicate_of', 'ticket_id')) as Array<{
      id: number;
      duplicate_of: number | null;
      ticket_id: number | null;
    }>;
    assert.equal(rows.length, 2);
    assert.equal(rows[1].duplicate_of, rows[0].id);
    assert.notEqual(rows[1].ticket_id, rows[0].ticket_id);
    const subjects = (await t.db('tickets').orderBy('id').pluck('subject')) as string[];
    assert.deepEqual(subjects, ['Cannot log in', 'A different question']);

    // True copies of either (fetched again, or delivered again with a trace header of its own) are not.
    const relayed = Buffer.concat([Buffer.from('Received: from relay.firm.example by mx.court.example\r\n'), other]);
    assert.deepEqual(await importMail(t, other, first, relayed), []);
    assert.equal(await count(t, 'inbound_mail'), 2);

    // A reply to the Message-ID still joins the first ticket: the reused id does not take over the thread.
    const [reply] = await importMail(t, await rawMail({ subject: 'Re: login', inReplyTo: messageId, text: 'Still failing.' }));
    assert.equal(reply.status === 'processed' && reply.ticketId, rows[0].ticket_id);

    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get('/staff/mail').expect(200);
    assert.match(page.text, /Message-ID of an earlier, different message \(1\)/);
    assert.match(page.text, /A different question/);
  });

  it('counts the starts of a reused-Message-ID message like any other, so a crash cannot lose or repeat it', async () => {
    const messageId = testMessageId();
    await importMail(t, await rawMail({ messageId, subject: 'Original' }));
    const other = await rawMail({ messageId, subject: 'Not the original', text: 'Other words.' });
    const [a] = await t.services.mail.intake.store([{ raw: other, source: 'import' }]);
    const [b, c] = await t.services.mail.intake.store([
      { raw: other, source: 'import' },
      { raw: other, source: 'import' },
    ]);
    assert.equal(a, b);
    assert.equal(b, c);
    const row = (await t.db('inbound_mail').where({ id: a }).first()) as { attempts: number };
    assert.equal(row.attempts, 2, 'stored again while waiting: one more start, not two');
    const outcomes = await t.services.mail.intake.processPending();
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.status]),
      [[a, 'processed']],
    );
    assert.equal(await count(t, 'tickets'), 2);
  });

  it('compares with messages stored before content was compared, by their raw copy', async () => {
    const messageId = testMessageId();
    const first = await rawMail({ messageId, subject: 'Stored long ago' });
    await importMail(t, first);
    await t.db('inbound_mail').update({ content_hash: null });
    assert.deepEqual(await importMail(t, first), [], 'a copy is still a copy');
    const [other] = await importMail(t, await rawMail({ messageId, subject: 'Something new' }));
    assert.equal(other.status === 'processed' && other.kind, 'new');
    assert.equal(await count(t, 'inbound_mail'), 2);
  });

  it('sets mailing-list mail aside, unanswered, and makes it a ticket when staff ask', async () => {
    const digest = await rawMail({
      from: '"Bar Association" <digest@bar.example>',
      subject: 'Weekly digest: e-filing tips',
      text: 'This week: how to file an exhibit in CM/ECF.',
      headers: {
        'List-Id': 'Bar members <members.bar.example>',
        'List-Unsubscribe': '<mailto:leave@bar.example>',
        Precedence: 'list',
      },
    });
    const [outcome] = await importMail(t, digest);
    assert.deepEqual(outcome.status === 'processed' && [outcome.kind, outcome.ticketId], ['list', null]);
    assert.equal(await count(t, 'tickets'), 0, 'no ticket lands in the queue');
    assert.equal(await count(t, 'outbox'), 0, 'no answer to a list (RFC 3834)');

    const agent = await signedInAgent(t, await buildStaff(t));
    const page = await agent.get('/staff/mail').expect(200);
    assert.match(page.text, /Mailing-list mail \(1\)/);
    assert.match(page.text, /Weekly digest: e-filing tips/);
    assert.match(page.text, /Bar members &lt;members\.bar\.example&gt;/);
    const action = `/staff/mail/${outcome.id}/ticket`;
    assert.match(page.text, new RegExp(`action="${action}"`));

    await agent.post(action).type('form').send({}).expect(403);
    const made = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303);
    assert.match(made.headers.location, /^\/staff\/tickets\/HD-\d{4}-\d{6}$/);
    const [ticket] = (await t.db('tickets').select('id', 'subject', 'channel', 'requester_email')) as Array<{
      id: number;
      subject: string;
      channel: string;
      requester_email: string;
    }>;
    assert.deepEqual(
      [ticket.subject, ticket.channel, ticket.requester_email],
      ['Weekly digest: e-filing tips', 'email', 'digest@bar.example'],
    );
    assert.equal((await t.db('inbound_mail').where({ id: outcome.id }).first()).ticket_id, ticket.id);
    await t.services.mail.sender?.deliverDue();
    assert.equal(await count(t, 'outbox'), 0, 'still no answer to the list');
    assert.equal(smtp.messages.length, 0);

    await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(404);
    assert.equal(await count(t, 'tickets'), 1, 'made once');
    const after = await agent.get('/staff/mail').expect(200);
    assert.match(after.text, /Mailing-list mail \(0\)/);
  });

  it('decodes raw 8-bit headers by the declared charset, else by the best guess', async () => {
    const mail = (from: number[], subject: number[], contentType: string, id: string) =>
      Buffer.concat([
        Buffer.from('From: '),
        Buffer.from(from),
        Buffer.from(` <${id}@firm.example>\r\nTo: ${MAIL_FROM}\r\nSubject: `),
        Buffer.from(subject),
        Buffer.from(`\r\nMessage-ID: <${id}@firm.example>\r\nMIME-Version: 1.0\r\n${contentType}\r\n\r\nMy filing fails.\r\n`),
      ]);
    const latin1 = (text: string) => [...Buffer.from(text, 'latin1')];
    // Shift_JIS for 日本語の件名 (the subject) and 山田 (the name).
    const sjisSubject = [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x8c, 0x8f, 0x96, 0xbc];
    const sjisName = [0x8e, 0x52, 0x93, 0x63];
    await importMail(
      t,
      mail(latin1('José Niño'), latin1('Café \x96 filing fails'), 'Content-Type: text/plain; charset=ISO-8859-1', 'latin'),
      mail(sjisName, sjisSubject, 'Content-Type: text/plain; charset=Shift_JIS', 'sjis'),
      mail(latin1('Zoë'), latin1('Résumé upload'), 'Content-Type: text/plain', 'guess'),
      mail(
        [...Buffer.from('Zoë')],
        [...Buffer.from('Ünïcode – raw UTF-8')],
        'Content-Type: text/plain; charset=iso-8859-1',
        'utf8',
      ),
    );
    const rows = (await t.db('tickets').orderBy('id').select('subject', 'requester_name')) as Array<{
      subject: string;
      requester_name: string;
    }>;
    assert.deepEqual(
      rows.map((r) => [r.subject, r.requester_name]),
      [
        ['Café – filing fails', 'José Niño'],
        ['日本語の件名', '山田'],
        ['Résumé upload', 'Zoë'],
        ['Ünïcode – raw UTF-8', 'Zoë'],
      ],
    );
    const stored = (await t.db('inbound_mail').orderBy('id').pluck('subject')) as string[];
    assert.ok(
      stored.every((s) => !s.includes('\uFFFD')),
      stored.join(' | '),
    );
  });
});

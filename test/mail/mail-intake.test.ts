import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { formatReference } from '../../src/tickets/reference';
import { migrationConfig } from '../../src/db/knex';
import { listMessages } from '../../src/tickets/tickets.repository';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildStaff, csrfTokenFrom, signedInAgent } from '../helpers/factories';
import { MAIL_FROM, rawMail, testMessageId } from '../helpers/mail-factories';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/mail-servers';
import { testDatabase } from '../helpers/postgres';

/** Imports raw messages through intake and delivers the outbox, as `mail:import` does. */
async function importMail(t: TestApp, ...raws: Buffer[]) {
  const ids = await t.services.mail.intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
  const outcomes = await t.services.mail.intake.processPending(ids);
  await t.services.mail.sender?.deliverDue();
  return outcomes;
}

async function ticketRows(t: TestApp) {
  return (await t.db('tickets').orderBy('id')) as Array<{
    id: number;
    status: string;
    channel: string;
    subject: string;
    requester_email: string;
    flags: string;
  }>;
}

describe('email intake', function () {
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
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM, PUBLIC_URL: 'https://help.court.example' } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('turns a request into a ticket and acknowledges it once, with the reference, private link and suggested answers', async () => {
    const messageId = testMessageId();
    const [outcome] = await importMail(
      t,
      await rawMail({
        messageId,
        from: `"Pat O'Brien" <pat.filer@example.com>`,
        subject: 'Cannot log in to file in 3:20-cv-01234-JST',
      }),
    );
    assert.equal(outcome.status, 'processed');
    const [ticket] = await ticketRows(t);
    assert.equal(ticket.channel, 'email');
    assert.equal(ticket.requester_email, 'pat.filer@example.com');
    const cases = (await t.db('ticket_case_numbers').where({ ticket_id: ticket.id }).pluck('number')) as string[];
    assert.deepEqual(cases, ['3:20-cv-01234']);
    const stored = await t.db('ticket_messages').where({ ticket_id: ticket.id }).first();
    assert.equal(stored.message_id, messageId);

    await smtp.waitFor(1);
    assert.equal(smtp.messages.length, 1);
    const ack = await simpleParser(smtp.messages[0].raw);
    assert.deepEqual(smtp.messages[0].envelopeTo, ['pat.filer@example.com']);
    assert.equal(ack.headers.get('auto-submitted'), 'auto-replied');
    assert.equal(ack.inReplyTo, messageId);
    const reference = /\[(HD-\d{4}-\d{6})\]/.exec(ack.subject ?? '')?.[1];
    assert.ok(reference, ack.subject);
    assert.match(ack.text ?? '', new RegExp(reference));
    assert.match(ack.html || '', new RegExp(reference));
    assert.match(ack.text ?? '', /may already solve your problem/);
    assert.match(ack.text ?? '', /Hello Pat O'Brien,/, 'plain text is not HTML-escaped');
    assert.match(ack.html || '', /Hello Pat O&#39;Brien,/, 'the HTML part is');
    const link = /https:\/\/help\.court\.example(\/requests\/[A-Za-z0-9_-]+)/.exec(ack.text ?? '');
    assert.ok(link, 'the acknowledgement carries the private status link');
    const page = await request(t.app).get(link[1]).expect(200);
    assert.match(page.text, new RegExp(reference));
  });

  it('stores a message delivered twice only once, by Message-ID, and by content when there is no Message-ID', async () => {
    const raw = await rawMail();
    await importMail(t, raw);
    assert.deepEqual(await importMail(t, raw), []);
    const noId = Buffer.from(
      'From: Lee Clerk <lee@firm.example>\r\nTo: ecf-help@court.example\r\nSubject: No id here\r\n\r\nMy filing receipt never came.\r\n',
    );
    await importMail(t, noId);
    await importMail(t, noId);
    assert.equal((await ticketRows(t)).length, 2);
    assert.equal(Number((await t.db('inbound_mail').count({ n: '*' }).first())?.n), 2);
    await smtp.waitFor(2);
    assert.equal(smtp.messages.length, 2);
  });

  it('threads a reply by In-Reply-To into its ticket and reopens it when it was resolved', async () => {
    await importMail(t, await rawMail());
    await smtp.waitFor(1);
    const ack = await simpleParser(smtp.messages[0].raw);
    const [ticket] = await ticketRows(t);
    await t.db('tickets').where({ id: ticket.id }).update({ status: 'resolved' });
    // A reply whose subject lost the reference: the Message-ID alone threads it.
    const [outcome] = await importMail(
      t,
      await rawMail({
        subject: 'Re: still broken',
        inReplyTo: ack.messageId,
        references: [ack.messageId as string],
        text: 'It happens again today.',
      }),
    );
    assert.equal(outcome.status === 'processed' && outcome.kind, 'reply');
    const rows = await ticketRows(t);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'open');
    assert.equal(Number((await t.db('ticket_messages').where({ ticket_id: ticket.id }).count({ n: '*' }).first())?.n), 2);
    assert.equal(smtp.messages.length, 1, 'a reply is not acknowledged again');
  });

  it('threads by the [HD-…] reference in the subject only when the requester writes, not "Re:" alone', async () => {
    await importMail(t, await rawMail());
    const [ticket] = await ticketRows(t);
    const { reference_year: year } = (await t.db('tickets').where({ id: ticket.id }).first('reference_year')) as {
      reference_year: number;
    };
    const ref = formatReference(year, ticket.id);
    const [fromRequester] = await importMail(t, await rawMail({ subject: `RE: [${ref}] Cannot log in` }));
    assert.equal(fromRequester.status === 'processed' && fromRequester.kind, 'reply');
    const [fromStranger] = await importMail(
      t,
      await rawMail({ from: 'someone@elsewhere.example', subject: `Re: [${ref}] Cannot log in` }),
    );
    assert.equal(fromStranger.status === 'processed' && fromStranger.kind, 'new');
    const [plainRe] = await importMail(t, await rawMail({ subject: 'Re: Cannot log in to CM/ECF' }));
    assert.equal(plainRe.status === 'processed' && plainRe.kind, 'new');
  });

  it('acknowledges neither auto-replies, mailing lists nor its own mail', async () => {
    const auto = await rawMail({ subject: 'Automatic reply: away', headers: { 'Auto-Submitted': 'auto-replied' } });
    const list = await rawMail({ subject: 'Bar association digest', headers: { 'List-Id': '<digest.bar.example>' } });
    const own = await rawMail({ from: MAIL_FROM, subject: 'Looped back' });
    const outcomes = await importMail(t, auto, list, own);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'processed' && o.kind),
      ['auto_reply', 'list', 'own_address'],
    );
    assert.equal((await ticketRows(t)).length, 0, 'the list message is set aside for staff (untrusted-mail tests)');
    assert.equal(Number((await t.db('outbox').count({ n: '*' }).first())?.n), 0);
  });

  it('caps automatic mail to one address so two auto-responders cannot loop', async () => {
    for (let n = 0; n < 12; n += 1) await importMail(t, await rawMail({ subject: `Request ${n}` }));
    const statuses = (await t.db('outbox').orderBy('id').pluck('status')) as string[];
    assert.equal(statuses.filter((s) => s === 'sent').length, 10);
    assert.equal(statuses.filter((s) => s === 'suppressed').length, 2);
  });

  it('applies the cap within one batch of mail too: the eleventh and twelfth acknowledgements are held back', async () => {
    const raws = await Promise.all(Array.from({ length: 12 }, (_, n) => rawMail({ subject: `Batched request ${n}` })));
    const others = [await rawMail({ from: 'other.filer@example.org', subject: 'Someone else' })];
    await importMail(t, ...raws.slice(0, 6), ...others, ...raws.slice(6));
    const rows = (await t.db('outbox').orderBy('id').select('to_address', 'status', 'suppressed_reason')) as Array<{
      to_address: string;
      status: string;
      suppressed_reason: string | null;
    }>;
    const pat = rows.filter((r) => r.to_address === 'pat.filer@example.com');
    assert.equal(pat.length, 12, 'every acknowledgement is recorded');
    assert.deepEqual(
      pat.map((r) => r.suppressed_reason),
      [...Array<null>(10).fill(null), 'sender_cap', 'sender_cap'],
      'the first ten in order go out, the rest are held back',
    );
    assert.deepEqual(
      rows.filter((r) => r.to_address === 'other.filer@example.org').map((r) => r.status),
      ['sent'],
      'another sender in the same batch is not affected',
    );
  });

  it('queues one acknowledgement per ticket: queuing a batch of them again stores none', async () => {
    const raws = [await rawMail({ subject: 'First' }), await rawMail({ subject: 'Second' })];
    const ids = await t.services.mail.intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
    await t.services.mail.intake.processPending(ids);
    const outbox = t.services.mail.outbox;
    assert.ok(outbox);
    const ticketIds = (await t.db('tickets').orderBy('id').pluck('id')) as number[];
    const again = ticketIds.map((id) => ({
      kind: 'acknowledgement' as const,
      dedupeKey: `acknowledgement:${id}`,
      ticketId: id,
      to: 'pat.filer@example.com',
      subject: 'again',
      text: 'again',
      html: null,
      messageId: outbox.newMessageId(),
      automatic: true,
    }));
    assert.deepEqual(await outbox.queueMany(t.db, again), ['duplicate', 'duplicate']);
    assert.equal((await t.db('outbox').count({ n: '*' }))[0].n, 2);
  });

  it('refuses a request for legal advice by mail: stored as rejected, answered with the refusal notice', async () => {
    await importMail(
      t,
      await rawMail({ subject: 'Should I appeal?', text: 'Should I appeal the judgment or settle? What would you advise?' }),
    );
    const [ticket] = await ticketRows(t);
    assert.equal(ticket.status, 'rejected');
    await smtp.waitFor(1);
    const notice = await simpleParser(smtp.messages[0].raw);
    assert.match(notice.subject ?? '', /cannot help/i);
    assert.match(notice.text ?? '', /legal advice/);
    assert.match(notice.text ?? '', /technical question/);
  });

  it('judges what the filer wrote, not the court notice they forwarded', async () => {
    const forwarded = [
      'Why does the document link in this notice not open?',
      '',
      '---------- Forwarded message ---------',
      'From: cmecf@ohsd.uscourts.gov',
      'If you have any problems connecting for the conference, please contact chambers for assistance.',
    ].join('\n');
    const ownRequest = 'Please forward my letter to the judge before the hearing.';
    await importMail(
      t,
      await rawMail({ subject: 'Fwd: notice', text: forwarded }),
      await rawMail({ subject: 'Letter', text: ownRequest }),
    );
    assert.deepEqual(
      (await ticketRows(t)).map((r) => r.status),
      ['new', 'rejected'],
    );
  });

  it('puts a refused request back in front of staff when the filer answers the refusal by mail', async () => {
    await importMail(t, await rawMail({ subject: 'Should I appeal?', text: 'Should I appeal the judgment or settle?' }));
    await smtp.waitFor(1);
    const notice = await simpleParser(smtp.messages[0].raw);
    await importMail(
      t,
      await rawMail({
        subject: 'Re: refused',
        inReplyTo: notice.messageId,
        text: 'Sorry, my real question is how to upload the notice of appeal.',
      }),
    );
    const [ticket] = await ticketRows(t);
    assert.equal(ticket.status, 'new');
    assert.ok(JSON.parse(ticket.flags).includes('review_requested'));
  });

  it('masks private numbers in mail as on the web and keeps the original for administrators', async () => {
    await importMail(
      t,
      await rawMail({
        text: 'My SSN is 123-45-6789 and the login fails.',
        html: '<p>My SSN is 123-45-6789 and the login fails.</p>',
      }),
    );
    const [ticket] = await ticketRows(t);
    const message = await t.db('ticket_messages').where({ ticket_id: ticket.id }).first();
    assert.doesNotMatch(message.body_text, /123-45-6789/);
    assert.equal(message.html_received, null, 'the HTML part would show the number, so it is not kept for display');
    assert.ok(JSON.parse(ticket.flags).includes('privacy_redacted'));
    const original = await t.db('private_originals').where({ ticket_id: ticket.id }).first();
    assert.match(original.original, /123-45-6789/);
  });

  it('keeps the HTML as received and gives it out only sanitised: no script, event handler or javascript: link', async () => {
    const html =
      '<p onclick="steal()">Login <b>fails</b></p><script>alert(1)</script><a href="javascript:alert(2)">here</a><img src=x onerror=alert(3)>';
    await importMail(t, await rawMail({ text: undefined, html }));
    const message = await t.db('ticket_messages').first();
    assert.match(message.body_text, /Login fails/);
    assert.equal(message.html_received.trim(), html);
    assert.equal(message.html_clean, null);
    const [read] = await listMessages(t.db, message.ticket_id);
    assert.match(read.htmlClean ?? '', /<b>fails<\/b>/);
    assert.doesNotMatch(read.htmlClean ?? '', /script|onclick|onerror|javascript:/i);
  });

  it('rolling back to cleaning at intake cleans the HTML kept as received, and forward again keeps it', async () => {
    const html = '<p>Login <b>fails</b></p><script>alert(1)</script>';
    await importMail(t, await rawMail({ text: 'Login fails', html }));
    // A masked request too: its unmasked original points at its message and must outlive the rollback.
    await importMail(t, await rawMail({ subject: 'SSN', text: 'My SSN is 123-45-6789 and the login fails.' }));
    const originals = await t.db('private_originals').orderBy('id');
    assert.equal(originals.length, 1);
    // Back to before the migration that keeps HTML as received, whatever came after it.
    for (;;) {
      const [, undone] = (await t.db.migrate.down(migrationConfig)) as [number, string[]];
      assert.ok(undone.length > 0, 'the migration was found');
      if (undone.includes('20261124120000_keep_email_html_as_received')) break;
    }
    const message = await t.db('ticket_messages').orderBy('id').first();
    assert.deepEqual(await t.db('private_originals').orderBy('id'), originals);
    assert.equal(message.html_received, undefined);
    assert.equal(message.html_clean, '<p>Login <b>fails</b></p>');
    if (testDatabase === 'sqlite') {
      // The intake view, SQLite's alone, writes the cleaned HTML again.
      const view = (await t.db.raw("SELECT sql FROM sqlite_master WHERE name = 'ticket_intake_insert'")) as Array<{
        sql: string;
      }>;
      assert.match(view[0].sql, /NEW\.message_html_clean\)/);
    }
    await t.db.migrate.latest(migrationConfig);
    assert.deepEqual(await t.db('private_originals').orderBy('id'), originals);
    const again = await t.db('ticket_messages').orderBy('id').first();
    assert.equal(again.html_received, null);
    const [read] = await listMessages(t.db, again.ticket_id);
    assert.equal(read.htmlClean, '<p>Login <b>fails</b></p>');
  });

  it('still shows the HTML that intake cleaned before it kept HTML as received', async () => {
    await importMail(t, await rawMail({ text: 'Login fails', html: '<p>Login <b>fails</b></p>' }));
    const message = await t.db('ticket_messages').first();
    await t
      .db('ticket_messages')
      .where({ id: message.id })
      .update({ html_received: null, html_clean: '<p>cleaned <b>then</b></p>' });
    const [read] = await listMessages(t.db, message.ticket_id);
    assert.equal(read.htmlClean, '<p>cleaned <b>then</b></p>');
  });

  it('decodes quoted-printable, base64, windows-1252 and ISO-8859-1 encoded words', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: =?ISO-8859-1?Q?Jos=E9_Ni=F1o?= <jose@firm.example>',
          `To: ${MAIL_FROM}`,
          'Subject: =?windows-1252?Q?Can=92t_file_=96_error?=',
          'Message-ID: <charsets@firm.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=windows-1252',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          'The filing =93fails=94 at the last step.',
          '',
        ].join('\r\n'),
      ),
    ]);
    const b64 = await rawMail({ subject: 'Base64 body', text: 'Ünïcödé text survives.', textEncoding: 'base64' });
    await importMail(t, raw, b64);
    const [first, second] = await ticketRows(t);
    assert.equal(first.subject, 'Can’t file – error');
    const requester = await t.db('tickets').where({ id: first.id }).first('requester_name');
    assert.equal(requester.requester_name, 'José Niño');
    const body = await t.db('ticket_messages').where({ ticket_id: first.id }).first('body_text');
    assert.match(body.body_text, /“fails”/);
    const body2 = await t.db('ticket_messages').where({ ticket_id: second.id }).first('body_text');
    assert.match(body2.body_text, /Ünïcödé/);
  });

  it('keeps allowed attachments, refuses a forbidden one and tells the sender (size limits: attachment-policy tests)', async () => {
    await importMail(
      t,
      await rawMail({
        attachments: [
          { filename: 'receipt.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' },
          { filename: 'tool.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' },
        ],
      }),
    );
    const rows = (await t.db('mail_attachments').orderBy('id')) as Array<{
      filename: string;
      content: Buffer | null;
      refused_reason: string | null;
    }>;
    assert.deepEqual(
      rows.map((r) => [r.filename, r.refused_reason, r.content ? r.content.length : null]),
      [
        ['receipt.pdf', null, 13],
        ['tool.exe', 'forbidden_type', null],
      ],
    );
    await smtp.waitFor(2);
    const notices = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const refusal = notices.find((n) => /attachments were not kept/.test(n.subject ?? ''));
    assert.ok(refusal);
    assert.match(refusal.text ?? '', /tool\.exe/);
  });

  it('tells whoever sent a reply, not the requester, that their attachment was not kept', async () => {
    const first = testMessageId();
    await importMail(t, await rawMail({ messageId: first }));
    await importMail(
      t,
      await rawMail({
        from: '"Lee Colleague" <lee@firm.example>',
        inReplyTo: first,
        subject: 'Re: login',
        attachments: [{ filename: 'tool.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' }],
      }),
    );
    const notice = await t.db('outbox').where({ kind: 'attachment_refused' }).first();
    assert.equal(notice.to_address, 'lee@firm.example');
    assert.match(notice.text_body, /^Hello Lee Colleague,/);
  });

  it('quarantines a message with no sender without blocking the next one, and retries it on demand', async () => {
    const noSender = Buffer.from(`To: ${MAIL_FROM}\r\nSubject: who am I\r\nMessage-ID: <nosender@x.example>\r\n\r\nHello\r\n`);
    const outcomes = await importMail(t, noSender, await rawMail());
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['quarantined', 'processed'],
    );
    const row = await t.db('inbound_mail').where({ status: 'quarantined' }).first();
    assert.match(row.error, /sender/);
    assert.ok(row.raw.length > 0, 'the raw message is kept');
    const retried = await t.services.mail.intake.retry(row.id);
    assert.equal(retried?.status, 'quarantined', 'still no sender: it stays set aside, nothing is lost');
  });

  it('counts one start for each message it stores: a new one, a copy still waiting, one given twice in a batch', async () => {
    const first = await rawMail({ subject: 'Stored, then stored again before it was processed' });
    const twice = await rawMail({ subject: 'Twice in one batch' });
    const done = await rawMail({ subject: 'Already processed' });
    const [doneId] = await t.services.mail.intake.store([{ raw: done, source: 'import' }]);
    await t.services.mail.intake.processPending([doneId]);
    const [firstId] = await t.services.mail.intake.store([{ raw: first, source: 'import' }]);
    const ids = await t.services.mail.intake.store(
      [first, twice, twice, done].map((raw) => ({ raw, source: 'import' as const })),
    );
    assert.equal(ids[0], firstId, 'a copy already stored gives the old id');
    assert.equal(ids[1], ids[2], 'the same message twice in a batch is one row');
    assert.equal(ids[3], doneId);
    const attempts = async (id: number) => ((await t.db('inbound_mail').where({ id }).first()) as { attempts: number }).attempts;
    assert.equal(await attempts(firstId), 2, 'stored twice while waiting: two starts');
    assert.equal(await attempts(ids[1]), 1);
    assert.equal(await attempts(doneId), 1, 'a processed message is not started again');
    assert.equal(
      await t
        .db('inbound_mail')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      3,
    );
  });

  it('stores a message given twice in one batch once, even when its copies fall in different statements', async () => {
    const raws = await Promise.all(Array.from({ length: 50 }, (_, i) => rawMail({ subject: `Message ${i}` })));
    // Rows are inserted 50 to a statement: the 51st is the first one again.
    const ids = await t.services.mail.intake.store([...raws, raws[0]].map((raw) => ({ raw, source: 'import' as const })));
    assert.equal(ids[50], ids[0]);
    assert.equal(new Set(ids).size, 50);
    const row = (await t.db('inbound_mail').where({ id: ids[0] }).first()) as { attempts: number };
    assert.equal(row.attempts, 1);
  });

  it('sets aside a message whose processing kept stopping the helpdesk, and still processes the rest', async () => {
    // As a crash mid-batch leaves them: stored, counted as started, never finished.
    const ids = await t.services.mail.intake.store([
      { raw: await rawMail({ subject: 'Killed the process three times' }), source: 'import' },
      { raw: await rawMail({ subject: 'Was in the same batch once' }), source: 'import' },
      { raw: await rawMail({ subject: 'Innocent' }), source: 'import' },
    ]);
    await t.db('inbound_mail').where({ id: ids[0] }).update({ attempts: 3 });
    await t.db('inbound_mail').where({ id: ids[1] }).update({ attempts: 2 });
    const outcomes = await t.services.mail.intake.processPending();
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.status]),
      [
        [ids[0], 'quarantined'],
        [ids[1], 'processed'],
        [ids[2], 'processed'],
      ],
    );
    const setAside = await t.db('inbound_mail').where({ id: ids[0] }).first();
    assert.match(setAside.error, /stopped the helpdesk 3 times/);
    const retried = await t.services.mail.intake.retry(ids[0]);
    assert.equal(retried?.status, 'processed', 'staff can try it again once the cause is fixed');
  });

  it('retries an SMTP delivery that failed temporarily and sends it exactly once', async () => {
    smtp.failNext(1);
    await importMail(t, await rawMail());
    let row = await t.db('outbox').first();
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /451/);
    // Time passes: the retry is due.
    await t.db('outbox').update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });
    await t.services.mail.sender?.deliverDue();
    await t.services.mail.sender?.deliverDue();
    row = await t.db('outbox').first();
    assert.equal(row.status, 'sent');
    assert.equal(smtp.messages.length, 1);
  });
});

describe('staff replies by email', function () {
  let smtp: SmtpReceiver;
  let t: TestApp;

  before(async () => {
    smtp = await startSmtpReceiver();
    t = await buildTestApp({ env: { ...smtp.mailEnv(), MAIL_FROM } });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends the reply threaded under the filer’s message, and the filer’s answer threads back', async () => {
    const filerMessageId = testMessageId();
    await importMail(t, await rawMail({ messageId: filerMessageId }));
    const [ticket] = await ticketRows(t);
    const reference = formatReference((await t.db('tickets').where({ id: ticket.id }).first()).reference_year, ticket.id);
    const staff = await buildStaff(t, { name: 'Sam Agent' });
    const agent = await signedInAgent(t, staff);
    const page = await agent.get(`/staff/tickets/${reference}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
    await agent
      .post(`/staff/tickets/${reference}/reply`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version, body: 'Please reset your password from the PACER site, then try again.' })
      .expect(303);
    await t.services.mail.sender?.deliverDue();
    await smtp.waitFor(2);
    const reply = await simpleParser(smtp.messages[1].raw);
    assert.equal(reply.subject, `Re: [${reference}] Cannot log in to CM/ECF`);
    assert.equal(reply.inReplyTo, filerMessageId);
    assert.ok(String(reply.references).includes(filerMessageId));
    assert.equal(reply.headers.get('auto-submitted'), undefined, 'a person wrote it: not marked automatic');
    assert.match(reply.text ?? '', /reset your password/);
    assert.match(reply.text ?? '', /Sam Agent/);
    const stored = await t.db('ticket_messages').where({ ticket_id: ticket.id, direction: 'out' }).first();
    assert.equal(stored.message_id, reply.messageId);

    const [answer] = await importMail(
      t,
      await rawMail({ subject: 'Re: thanks', inReplyTo: reply.messageId, text: 'That worked, thank you.' }),
    );
    assert.equal(answer.status === 'processed' && answer.ticketId, ticket.id);
  });
});

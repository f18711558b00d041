// Proves the mail-server harness: a real Dovecot takes APPENDs and serves them over IMAP, and the SMTP
// receiver records what nodemailer sends and can fail on demand.
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startDovecot, startSmtpReceiver, type DovecotServer, type SmtpReceiver } from '../helpers/mail-servers';

function rawMail(n: number): string {
  return [
    'From: Filer <filer@example.com>',
    'To: help@court.example',
    `Subject: Test message ${n}`,
    `Message-ID: <test-${n}@example.com>`,
    'Date: Mon, 02 Feb 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of message ${n}.`,
    '',
  ].join('\r\n');
}

describe('mail servers for tests', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpReceiver;

  before(async () => {
    [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpReceiver()]);
  });

  after(async () => {
    await Promise.all([dovecot?.stop(), smtp?.stop()]);
  });

  beforeEach(() => smtp.clear());

  it('Dovecot keeps APPENDed messages and serves them over IMAP with their flags and UIDs', async () => {
    const uids = [
      await dovecot.append(rawMail(1)),
      await dovecot.append(rawMail(2), { flags: ['\\Seen'] }),
      await dovecot.append(rawMail(3), { flags: ['\\Flagged', '\\Seen'] }),
    ];
    assert.deepEqual(uids, [1, 2, 3]);

    // Read back with a plain imapflow client, as the app would, using only mailEnv().
    const env = dovecot.mailEnv();
    assert.equal(env.IMAP_TLS, 'false');
    const client = new ImapFlow({
      host: env.IMAP_HOST,
      port: Number(env.IMAP_PORT),
      secure: false,
      doSTARTTLS: false,
      auth: { user: env.IMAP_USER, pass: env.IMAP_PASSWORD },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock(env.IMAP_MAILBOX);
      try {
        const fetched = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
        assert.deepEqual(
          fetched.map((m) => ({
            uid: m.uid,
            // \Recent is a per-session flag (this is the first session to see them); the stored flags are the rest.
            flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
            subject: m.envelope?.subject,
          })),
          [
            { uid: 1, flags: [], subject: 'Test message 1' },
            { uid: 2, flags: ['\\Seen'], subject: 'Test message 2' },
            { uid: 3, flags: ['\\Flagged', '\\Seen'], subject: 'Test message 3' },
          ],
        );
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }

    assert.deepEqual(
      (await dovecot.listMessages()).map((m) => [m.uid, m.messageId]),
      [
        [1, '<test-1@example.com>'],
        [2, '<test-2@example.com>'],
        [3, '<test-3@example.com>'],
      ],
    );
  });

  it('Dovecot gives a recreated mailbox a new UIDVALIDITY, INBOX included', async () => {
    await dovecot.createMailbox('Archive');
    await dovecot.append(rawMail(10), { mailbox: 'Archive' });
    const before = await dovecot.uidValidity('Archive');
    const after = await dovecot.recreateMailbox('Archive');
    assert.notEqual(after, before);
    assert.deepEqual(await dovecot.listMessages('Archive'), []);

    const inboxBefore = await dovecot.uidValidity();
    const inboxAfter = await dovecot.recreateMailbox('INBOX');
    assert.notEqual(inboxAfter, inboxBefore);
    assert.equal(await dovecot.uidValidity(), inboxAfter);
    assert.deepEqual(await dovecot.listMessages(), []);
  });

  it('Dovecot takes 2,000 messages in one appendMany', async () => {
    const raws = Array.from({ length: 2000 }, (_, i) => rawMail(1000 + i));
    await dovecot.createMailbox('Bulk');
    const started = Date.now();
    await dovecot.appendMany(raws, 'Bulk');
    const ms = Date.now() - started;
    const listed = await dovecot.listMessages('Bulk');
    assert.equal(listed.length, 2000);
    assert.equal(listed[0].messageId, '<test-1000@example.com>');
    assert.equal(listed[1999].messageId, '<test-2999@example.com>');
    if (process.env.MAIL_SERVERS_TIMING) console.log(`      appendMany(2000): ${ms} ms`);
  });

  it('the SMTP receiver records a message sent with nodemailer', async () => {
    const env = smtp.mailEnv();
    const transport = nodemailer.createTransport({
      host: env.SMTP_HOST,
      port: Number(env.SMTP_PORT),
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'help@court.example',
      to: ['filer@example.com', 'cc@example.com'],
      subject: 'Your request',
      text: 'We received your request.',
    });
    await smtp.waitFor(1);
    assert.equal(smtp.messages.length, 1);
    const [mail] = smtp.messages;
    assert.equal(mail.envelopeFrom, 'help@court.example');
    assert.deepEqual(mail.envelopeTo, ['filer@example.com', 'cc@example.com']);
    assert.match(mail.raw.toString('utf8'), /^Subject: Your request$/m);
    assert.match(mail.raw.toString('utf8'), /We received your request\./);
  });

  it('failNext(1) fails one DATA with a 4xx reply and lets the next one through', async () => {
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
    const mail = { from: 'help@court.example', to: 'filer@example.com', subject: 'Retry me', text: 'x' };
    smtp.failNext(1);
    await assert.rejects(transport.sendMail(mail), (err: Error & { responseCode?: number }) => {
      assert.equal(err.responseCode, 451);
      return true;
    });
    assert.equal(smtp.messages.length, 0);
    await transport.sendMail(mail);
    await smtp.waitFor(1);
    assert.equal(smtp.messages.length, 1);
  });

  it('waitFor rejects with a count when too few messages arrive', async () => {
    await assert.rejects(smtp.waitFor(1, 50), /expected 1 message\(s\) within 50 ms; received 0/);
  });
});

import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

let counter = 0;

/** A unique Message-ID for a test message. */
export function testMessageId(): string {
  counter += 1;
  return `<test.${process.pid}.${Date.now()}.${counter}@filer.example>`;
}

/**
 * A raw RFC 822 message built by nodemailer's own composer (real MIME: encodings, multipart, headers).
 * Defaults describe a filer writing to the helpdesk about a login problem.
 */
export async function rawMail(options: Partial<Mail.Options> & { headers?: Record<string, string> } = {}): Promise<Buffer> {
  const composer = new MailComposer({
    from: '"Pat Filer" <pat.filer@example.com>',
    to: 'ecf-help@court.example',
    subject: 'Cannot log in to CM/ECF',
    text: 'After resetting my PACER password I get an error when I log in to file.',
    messageId: testMessageId(),
    date: new Date('2026-11-23T17:00:00Z'),
    ...options,
  });
  return composer.compile().build();
}

/** The environment that turns outgoing mail on against a test SMTP receiver. */
export const MAIL_FROM = 'ecf-help@court.example';

import assert from 'node:assert/strict';
import { simpleParser, type SimpleParserOptions } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  classifyMessage,
  isAutomaticMail,
  ownAddressesFrom,
  type BouncedRecipient,
  type Classification,
} from '../../src/mail/inbound/classify-message';
import { readableBody } from '../../src/mail/inbound/readable-text';
import { returnedMessageIds } from '../../src/mail/inbound/returned-message';

const OWN = ['helpdesk@court.example.gov', 'noreply@court.example.gov'];

/** A raw RFC 822 message from header lines and body lines, with CRLF line ends as on the wire. */
function rfc822(headers: string[], body: string[]): string {
  return [...headers, '', ...body, ''].join('\r\n');
}

async function classify(raw: string, options: SimpleParserOptions = {}): Promise<Classification> {
  return classifyMessage(await simpleParser(raw, options), OWN);
}

/** A filer's ordinary message, with extra headers and a subject of the case's choosing. */
function filerMessage(extraHeaders: string[] = [], subject = 'Cannot log in to CM/ECF'): string {
  return rfc822(
    [
      'From: Pat Filer <pat.filer@example.com>',
      'To: Helpdesk <helpdesk@court.example.gov>',
      `Subject: ${subject}`,
      'Date: Mon, 23 Nov 2026 09:15:00 -0500',
      'Message-ID: <CAFiler123@mail.example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      ...extraHeaders,
    ],
    ['Hello, my PACER password stopped working this morning in case 3:24-cv-01234.', '', 'Pat'],
  );
}

const POSTFIX_DSN = rfc822(
  [
    'Return-Path: <>',
    'Date: Mon, 23 Nov 2026 10:00:00 -0500 (EST)',
    'From: MAILER-DAEMON@mail.court.example.gov (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    'To: helpdesk@court.example.gov',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="6A2B5.1764000000/mail.court.example.gov"',
    'Message-Id: <20261123150000.6A2B5@mail.court.example.gov>',
  ],
  [
    'This is a MIME-encapsulated message.',
    '',
    '--6A2B5.1764000000/mail.court.example.gov',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    '<nobody@example.com>: host mx.example.com[203.0.113.5] said: 550 5.1.1',
    '    <nobody@example.com>: Recipient address rejected: User unknown',
    '',
    '--6A2B5.1764000000/mail.court.example.gov',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.court.example.gov',
    'X-Postfix-Queue-ID: 6A2B5',
    'Arrival-Date: Mon, 23 Nov 2026 09:59:58 -0500 (EST)',
    '',
    'Final-Recipient: rfc822; nobody@example.com',
    'Original-Recipient: rfc822;Nobody@Example.com',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.example.com',
    'Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address',
    '    rejected: User unknown',
    '',
    'Final-Recipient: rfc822; slow@example.net',
    'Action: delayed',
    'Status: 4.4.1',
    '',
    '--6A2B5.1764000000/mail.court.example.gov',
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    'From: helpdesk@court.example.gov',
    'To: Nobody@Example.com',
    'Message-ID: <ack-42@court.example.gov>',
    '',
    '--6A2B5.1764000000/mail.court.example.gov--',
  ],
);

const POSTFIX_RECIPIENTS: BouncedRecipient[] = [
  {
    address: 'Nobody@Example.com',
    action: 'failed',
    status: '5.1.1',
    diagnostic: '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown',
  },
  { address: 'slow@example.net', action: 'delayed', status: '4.4.1', diagnostic: null },
];

// Exchange Online: a report whose human part is HTML only, with the original attached as message/rfc822.
const EXCHANGE_ONLINE_NDR = rfc822(
  [
    'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@lawfirm.example>',
    'To: <helpdesk@court.example.gov>',
    'Subject: Undeliverable: Your request HD-2026-000123',
    'Content-Type: multipart/report; report-type="delivery-status"; boundary="_000_NDR_"',
    'MIME-Version: 1.0',
  ],
  [
    '--_000_NDR_',
    'Content-Type: text/html; charset="us-ascii"',
    '',
    "<html><body><p><b>Your message to jane@lawfirm.example couldn't be delivered.</b></p></body></html>",
    '--_000_NDR_',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns;BN8PR04MB.namprd04.prod.outlook.com',
    'Received-From-MTA: dns;mail.court.example.gov',
    '',
    'Final-Recipient: rfc822;jane@lawfirm.example',
    'Action: failed',
    'Status: 5.1.10',
    'Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    '',
    '--_000_NDR_',
    'Content-Type: message/rfc822',
    '',
    'From: helpdesk@court.example.gov',
    'To: jane@lawfirm.example',
    'Subject: Your request HD-2026-000123',
    'Message-ID: <ack-43@court.example.gov>',
    '',
    'We received your request.',
    '--_000_NDR_--',
  ],
);

// Older Exchange: no delivery-status part at all, only prose from postmaster.
const EXCHANGE_LEGACY_UNDELIVERABLE = rfc822(
  [
    'From: postmaster@lawfirm.example',
    'To: helpdesk@court.example.gov',
    'Subject: Undeliverable: Your request HD-2026-000124',
    'Content-Type: text/plain; charset="us-ascii"',
    'Auto-Submitted: auto-replied',
  ],
  [
    'Delivery has failed to these recipients or groups:',
    '',
    'Jane Roe (jane.roe@lawfirm.example)',
    "The e-mail address you entered couldn't be found.",
    '',
    'Diagnostic information for administrators:',
    '',
    'Generating server: EX01.lawfirm.example',
    '',
    'jane.roe@lawfirm.example',
    '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
    '',
    'Original message headers:',
    '',
    'From: Court Helpdesk <helpdesk@court.example.gov>',
    'To: <jane.roe@lawfirm.example>, <clerk@lawfirm.example>',
    'Message-ID: <ack-44@court.example.gov>',
  ],
);

const EXIM_BOUNCE = rfc822(
  [
    'From: Mail Delivery System <Mailer-Daemon@mx.example.org>',
    'To: helpdesk@court.example.gov',
    'Subject: Mail delivery failed: returning message to sender',
    'X-Failed-Recipients: filer@example.org',
    'Auto-Submitted: auto-replied',
  ],
  [
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  filer@example.org',
    '    mailbox is full: retry timeout exceeded',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    'From: helpdesk@court.example.gov',
    'Cc: other@example.org',
  ],
);

const SENDMAIL_DELAY_WARNING = rfc822(
  [
    'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>',
    'To: <helpdesk@court.example.gov>',
    'Subject: Warning: could not send message for past 4 hours',
  ],
  [
    '    **********************************************',
    '    **      THIS IS A WARNING MESSAGE ONLY      **',
    '    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **',
    '    **********************************************',
    '',
    'The original message was received at Mon, 23 Nov 2026 10:00:00 -0500',
    'from court.example.gov [192.0.2.10]',
    '',
    '   ----- Transcript of session follows -----',
    '<slow@example.net>... Deferred: Connection timed out with mx.example.net.',
    'Warning: message still undelivered after 4 hours',
  ],
);

const OUTLOOK_OUT_OF_OFFICE = rfc822(
  [
    'From: Jane Roe <jane.roe@lawfirm.example>',
    'To: Court Helpdesk <helpdesk@court.example.gov>',
    'Subject: Automatic reply: Your request HD-2026-000125',
    'Thread-Topic: Your request HD-2026-000125',
    'X-MS-Has-Attach:',
    'X-Auto-Response-Suppress: All',
    'X-MS-Exchange-Inbox-Rules-Loop: jane.roe@lawfirm.example',
    'Content-Type: text/plain; charset="us-ascii"',
  ],
  ['I am out of the office until December 1 with limited access to email.'],
);

const GMAIL_VACATION = rfc822(
  [
    'From: Pat Filer <pat.filer@gmail.example>',
    'To: helpdesk@court.example.gov',
    'Subject: Re: Your request HD-2026-000126',
    'Auto-Submitted: auto-replied',
    'In-Reply-To: <ack-46@court.example.gov>',
    'Content-Type: text/plain; charset="UTF-8"',
  ],
  ['Thanks for your email. I am travelling and will reply next week.'],
);

const MAILING_LIST_POST = rfc822(
  [
    'From: Bar Association News <news@bar.example.org>',
    'To: ecf-users@lists.bar.example.org',
    'Subject: [ecf-users] Upcoming NextGen training',
    'List-Id: ECF users discussion <ecf-users.lists.bar.example.org>',
    'List-Post: <mailto:ecf-users@lists.bar.example.org>',
    'Content-Type: text/plain',
  ],
  ['Training is on Thursday.'],
);

type Row = { name: string; raw: string; options?: SimpleParserOptions; expected: Classification };

describe('classifyMessage', () => {
  const rows: Row[] = [
    { name: 'treats a plain message from a filer as a request', raw: filerMessage(), expected: { kind: 'request' } },
    {
      name: "treats Auto-Submitted: no as a person's message",
      raw: filerMessage(['Auto-Submitted: no']),
      expected: { kind: 'request' },
    },
    {
      name: 'recognises our own address whatever its case, before anything else',
      raw: filerMessage(['Auto-Submitted: auto-replied']).replace(
        'From: Pat Filer <pat.filer@example.com>',
        'From: Court Helpdesk <HelpDesk@Court.Example.GOV>',
      ),
      expected: { kind: 'own_address' },
    },
    {
      name: 'reads every recipient of a Postfix DSN that mailparser folded into the text',
      raw: POSTFIX_DSN,
      expected: { kind: 'bounce', recipients: POSTFIX_RECIPIENTS },
    },
    {
      name: 'reads the same DSN when the delivery-status part is kept as an attachment',
      raw: POSTFIX_DSN,
      options: { keepDeliveryStatus: true },
      expected: { kind: 'bounce', recipients: POSTFIX_RECIPIENTS },
    },
    {
      name: 'reads an Exchange Online report whose human part is HTML',
      raw: EXCHANGE_ONLINE_NDR,
      expected: {
        kind: 'bounce',
        recipients: [
          {
            address: 'jane@lawfirm.example',
            action: 'failed',
            status: '5.1.10',
            diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
          },
        ],
      },
    },
    {
      name: 'finds the failed address in the prose of an old Exchange "Undeliverable", not in the quoted headers',
      raw: EXCHANGE_LEGACY_UNDELIVERABLE,
      expected: {
        kind: 'bounce',
        recipients: [
          {
            address: 'jane.roe@lawfirm.example',
            action: 'failed',
            status: '5.1.1',
            diagnostic: '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
          },
        ],
      },
    },
    {
      name: 'takes the failed address of an Exim bounce from X-Failed-Recipients',
      raw: EXIM_BOUNCE,
      expected: {
        kind: 'bounce',
        recipients: [{ address: 'filer@example.org', action: 'failed', status: null, diagnostic: null }],
      },
    },
    {
      name: 'reports a sendmail delay warning as delayed, not failed',
      raw: SENDMAIL_DELAY_WARNING,
      expected: {
        kind: 'bounce',
        recipients: [{ address: 'slow@example.net', action: 'delayed', status: null, diagnostic: null }],
      },
    },
    {
      name: 'treats an Outlook out-of-office reply as automatic',
      raw: OUTLOOK_OUT_OF_OFFICE,
      expected: { kind: 'auto_reply', reason: 'X-Auto-Response-Suppress: All' },
    },
    {
      name: 'treats a Gmail vacation reply as automatic',
      raw: GMAIL_VACATION,
      expected: { kind: 'auto_reply', reason: 'Auto-Submitted: auto-replied' },
    },
    {
      name: 'treats a mailing list post as list mail',
      raw: MAILING_LIST_POST,
      expected: { kind: 'list', reason: 'List-Id: ECF users discussion <ecf-users.lists.bar.example.org>' },
    },
  ];

  for (const row of rows) {
    it(row.name, async () => {
      assert.deepEqual(await classify(row.raw, row.options), row.expected);
    });
  }

  const signals: Array<{ name: string; headers?: string[]; subject?: string; kind: Classification['kind'] }> = [
    { name: 'Auto-Submitted: auto-generated', headers: ['Auto-Submitted: auto-generated'], kind: 'auto_reply' },
    { name: 'Auto-Submitted with parameters', headers: ['Auto-Submitted: auto-replied; owner-email="x@y"'], kind: 'auto_reply' },
    { name: 'X-Autoreply: yes', headers: ['X-Autoreply: yes'], kind: 'auto_reply' },
    { name: 'X-Autorespond', headers: ['X-Autorespond: Thank you for your message'], kind: 'auto_reply' },
    { name: 'X-Auto-Response-Suppress: OOF', headers: ['X-Auto-Response-Suppress: DR, OOF'], kind: 'auto_reply' },
    { name: 'X-Auto-Response-Suppress: AutoReply', headers: ['X-Auto-Response-Suppress: AutoReply'], kind: 'auto_reply' },
    { name: 'Precedence: bulk', headers: ['Precedence: bulk'], kind: 'auto_reply' },
    { name: 'Precedence: junk', headers: ['Precedence: junk'], kind: 'auto_reply' },
    { name: 'Precedence: auto_reply', headers: ['Precedence: auto_reply'], kind: 'auto_reply' },
    { name: 'a null Return-Path', headers: ['Return-Path: <>'], kind: 'auto_reply' },
    { name: 'subject "Auto: "', subject: 'Auto: Your request', kind: 'auto_reply' },
    { name: 'subject "Out of Office: "', subject: 'Out of Office: Re: filing fee', kind: 'auto_reply' },
    { name: 'subject "Out of Office AutoReply: "', subject: 'Out of Office AutoReply: filing fee', kind: 'auto_reply' },
    { name: 'List-Unsubscribe alone', headers: ['List-Unsubscribe: <mailto:leave@lists.example.org>'], kind: 'list' },
    { name: 'Precedence: list', headers: ['Precedence: list'], kind: 'list' },
    // Each of these is a person's message that only looks like automatic mail at a glance.
    { name: 'X-Auto-Response-Suppress: RN, NRN', headers: ['X-Auto-Response-Suppress: RN, NRN'], kind: 'request' },
    { name: 'a subject about office hours', subject: 'Out of office hours filing deadline?', kind: 'request' },
    { name: 'a reply to an automatic reply', subject: 'Re: Automatic reply: my request', kind: 'request' },
    { name: 'a subject that merely mentions auto', subject: 'Automobile accident case filing', kind: 'request' },
    { name: 'a Return-Path with an address', headers: ['Return-Path: <pat.filer@example.com>'], kind: 'request' },
  ];

  for (const signal of signals) {
    it(`classifies a message with ${signal.name} as ${signal.kind}`, async () => {
      const result = await classify(filerMessage(signal.headers, signal.subject));
      assert.equal(result.kind, signal.kind, JSON.stringify(result));
    });
  }

  it('counts mail from postmaster as a bounce only when its subject says so', async () => {
    const fromPostmaster = (subject: string) =>
      filerMessage([], subject).replace('From: Pat Filer <pat.filer@example.com>', 'From: postmaster@lawfirm.example');
    assert.equal((await classify(fromPostmaster('Undeliverable: Your request'))).kind, 'bounce');
    assert.deepEqual(await classify(fromPostmaster('Question about your SPF record')), { kind: 'request' });
  });

  it('treats other mail from MAILER-DAEMON as automatic', async () => {
    const raw = filerMessage([], 'Notice').replace(
      'From: Pat Filer <pat.filer@example.com>',
      'From: MAILER-DAEMON@mx.example.org',
    );
    assert.deepEqual(await classify(raw), { kind: 'auto_reply', reason: 'sent by MAILER-DAEMON' });
  });

  it('treats a read receipt as automatic', async () => {
    const raw = filerMessage([], 'Read: Your request').replace(
      'Content-Type: text/plain; charset=utf-8',
      'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"',
    );
    assert.equal((await classify(raw)).kind, 'auto_reply');
  });
});

describe('isAutomaticMail', () => {
  it('is false only for a request', () => {
    assert.equal(isAutomaticMail({ kind: 'request' }), false);
    assert.equal(isAutomaticMail({ kind: 'own_address' }), true);
    assert.equal(isAutomaticMail({ kind: 'bounce', recipients: [] }), true);
    assert.equal(isAutomaticMail({ kind: 'auto_reply', reason: 'x' }), true);
    assert.equal(isAutomaticMail({ kind: 'list', reason: 'x' }), true);
  });
});

describe('ownAddressesFrom', () => {
  it('reads the lowercase address out of a configured From value', () => {
    assert.deepEqual(ownAddressesFrom('"Court Helpdesk" <HelpDesk@Court.Example.gov>'), ['helpdesk@court.example.gov']);
    assert.deepEqual(ownAddressesFrom('helpdesk@court.example.gov'), ['helpdesk@court.example.gov']);
  });
});

describe('calendar replies', () => {
  it('treats a calendar program’s "Accepted" reply to our invitation as automatic', async () => {
    const raw = await new MailComposer({
      from: 'pat@example.com',
      to: 'ecf-help@court.example',
      subject: 'Accepted: Phone callback from the helpdesk',
      text: 'Pat Filer has accepted this meeting.',
      icalEvent: {
        method: 'REPLY',
        content: 'BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:cb-1@court.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      },
    })
      .compile()
      .build();
    const result = classifyMessage(await simpleParser(raw), ['ecf-help@court.example']);
    assert.deepEqual(result, { kind: 'auto_reply', reason: 'calendar reply to an invitation' });
  });
});

describe('returnedMessageIds', () => {
  const idsOf = async (raw: string) => {
    const mail = await simpleParser(raw);
    return returnedMessageIds(mail, readableBody(mail));
  };

  it('finds the message a report returns, whole or by its headers, and one a bounce only quotes', async () => {
    assert.deepEqual(await idsOf(POSTFIX_DSN), ['<ack-42@court.example.gov>'], 'text/rfc822-headers');
    assert.deepEqual(await idsOf(EXCHANGE_ONLINE_NDR), ['<ack-43@court.example.gov>'], 'message/rfc822');
    assert.deepEqual(await idsOf(EXCHANGE_LEGACY_UNDELIVERABLE), ['<ack-44@court.example.gov>'], 'quoted in the prose');
  });

  it('finds nothing in a report that names no message, nor past the returned headers', async () => {
    assert.deepEqual(await idsOf(EXIM_BOUNCE), []);
    const afterHeaders = POSTFIX_DSN.replace(
      'Message-ID: <ack-42@court.example.gov>\r\n\r\n',
      '\r\n> Message-ID: <someone-else@court.example.gov>\r\n',
    );
    assert.notEqual(afterHeaders, POSTFIX_DSN);
    assert.deepEqual(await idsOf(afterHeaders), [], 'a Message-ID line after the returned headers is not its id');
  });
});

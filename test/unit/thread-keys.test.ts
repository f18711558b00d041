import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { normaliseMessageId, subjectReference, threadKeys } from '../../src/mail/inbound/thread-keys';

/** A small reply as it arrives, with the threading headers of the case. */
function reply(headers: string[], subject = 'Re: My login'): string {
  return [
    'From: Pat Filer <pat.filer@example.com>',
    'To: helpdesk@court.example.gov',
    `Subject: ${subject}`,
    'Message-ID: <CAFiler999@mail.example.com>',
    ...headers,
    'Content-Type: text/plain',
    '',
    'Thanks, that worked.',
    '',
  ].join('\r\n');
}

describe('threadKeys', () => {
  const idCases: Array<{ name: string; headers: string[]; expected: string[] }> = [
    {
      name: 'puts In-Reply-To first, then References newest first, each id once',
      headers: [
        'In-Reply-To: <ack-3@court.example.gov>',
        'References: <CAFiler1@mail.example.com> <ack-2@court.example.gov>',
        ' <ack-3@court.example.gov>',
      ],
      expected: ['<ack-3@court.example.gov>', '<ack-2@court.example.gov>', '<CAFiler1@mail.example.com>'],
    },
    {
      name: 'uses References alone when In-Reply-To is missing',
      headers: ['References: <a1@court.example.gov>\t<a2@court.example.gov>'],
      expected: ['<a2@court.example.gov>', '<a1@court.example.gov>'],
    },
    { name: 'has no ids for a new message', headers: [], expected: [] },
    {
      name: 'keeps the case of an id exactly as written',
      headers: ['In-Reply-To: <ABC.def$1@Court.Example.GOV>'],
      expected: ['<ABC.def$1@Court.Example.GOV>'],
    },
    {
      name: 'takes the id out of an old-style In-Reply-To with prose around it',
      headers: ['In-Reply-To: Your message of "Mon, 23 Nov 2026 09:00:00 -0500" <ack-7@court.example.gov>'],
      expected: ['<ack-7@court.example.gov>'],
    },
    {
      name: 'adds the brackets some mailers leave off',
      headers: ['In-Reply-To: ack-8@court.example.gov', 'References: ack-6@court.example.gov ack-8@court.example.gov'],
      expected: ['<ack-8@court.example.gov>', '<ack-6@court.example.gov>'],
    },
    {
      name: 'reads an In-Reply-To that names two messages',
      headers: ['In-Reply-To: <a@court.example.gov> <b@court.example.gov>'],
      expected: ['<a@court.example.gov>', '<b@court.example.gov>'],
    },
  ];

  for (const row of idCases) {
    it(row.name, async () => {
      assert.deepEqual(threadKeys(await simpleParser(reply(row.headers))).messageIds, row.expected);
    });
  }

  it('returns the subject reference alongside the ids', async () => {
    const mail = await simpleParser(reply(['In-Reply-To: <ack-3@court.example.gov>'], 'Re: [HD-2026-000123] My login'));
    assert.deepEqual(threadKeys(mail), {
      messageIds: ['<ack-3@court.example.gov>'],
      reference: { year: 2026, id: 123, text: 'HD-2026-000123' },
    });
  });

  it('finds the reference in an encoded subject', async () => {
    // "Re: [HD-2026-000123] Réponse" in RFC 2047 base64.
    const encoded = `=?UTF-8?B?${Buffer.from('Re: [HD-2026-000123] Réponse').toString('base64')}?=`;
    assert.deepEqual(threadKeys(await simpleParser(reply([], encoded))).reference, {
      year: 2026,
      id: 123,
      text: 'HD-2026-000123',
    });
  });
});

describe('subjectReference', () => {
  const found: Array<{ subject: string; year: number; id: number; text: string }> = [
    { subject: 'Re: [HD-2026-000123] My login', year: 2026, id: 123, text: 'HD-2026-000123' },
    { subject: 'RE: Fwd:  Re:   [HD-2026-000123]   My login', year: 2026, id: 123, text: 'HD-2026-000123' },
    { subject: '[HD-2026-000123]', year: 2026, id: 123, text: 'HD-2026-000123' },
    { subject: 'Re: [hd-2025-004567] lowercase', year: 2025, id: 4567, text: 'HD-2025-004567' },
    { subject: 'Re: [ HD-2026-000123 ] spaced', year: 2026, id: 123, text: 'HD-2026-000123' },
    { subject: 'Re: [HD-2027-1234567] seven digits', year: 2027, id: 1234567, text: 'HD-2027-1234567' },
    { subject: 'Re: [HD-2026-000123] Fwd: [HD-2026-000100] merged', year: 2026, id: 123, text: 'HD-2026-000123' },
  ];
  for (const row of found) {
    it(`reads ${JSON.stringify(row.subject)}`, () => {
      assert.deepEqual(subjectReference(row.subject), { year: row.year, id: row.id, text: row.text });
    });
  }

  const ignored = [
    'Re: HD-2026-000123 My login',
    'Re: (HD-2026-000123) My login',
    'Re: [HD-2026-12345] five digits',
    'Re: [HD-26-000123] two-digit year',
    'Re: [HD-2026-000000] zero',
    'Re: [XHD-2026-000123] other prefix',
    'Re: My login',
    '',
  ];
  for (const subject of ignored) {
    it(`finds no reference in ${JSON.stringify(subject)}`, () => {
      assert.equal(subjectReference(subject), null);
    });
  }

  it('finds no reference when there is no subject', () => {
    assert.equal(subjectReference(undefined), null);
  });
});

describe('normaliseMessageId', () => {
  const cases: Array<{ raw: string | undefined; expected: string | null }> = [
    { raw: '<a1@court.example.gov>', expected: '<a1@court.example.gov>' },
    { raw: 'a1@court.example.gov', expected: '<a1@court.example.gov>' },
    { raw: '  <a1@court.example.gov>\r\n', expected: '<a1@court.example.gov>' },
    { raw: '<A1@Court.Example.GOV>', expected: '<A1@Court.Example.GOV>' },
    { raw: '<<a1@court.example.gov>>', expected: '<a1@court.example.gov>' },
    { raw: '< a1@court.example.gov >', expected: '<a1@court.example.gov>' },
    { raw: '<a1@court.example.gov> <a2@court.example.gov>', expected: '<a1@court.example.gov>' },
    { raw: 'no-at-sign-id-123', expected: '<no-at-sign-id-123>' },
    { raw: 'Your message of Monday', expected: null },
    { raw: '<>', expected: null },
    { raw: '   ', expected: null },
    { raw: '', expected: null },
    { raw: undefined, expected: null },
  ];
  for (const row of cases) {
    it(`normalises ${JSON.stringify(row.raw)} to ${String(row.expected)}`, () => {
      assert.equal(normaliseMessageId(row.raw), row.expected);
    });
  }
});

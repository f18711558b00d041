import assert from 'node:assert/strict';
import { decodeHeaderBytes, declaredCharset, headersAsUtf8 } from '../../src/mail/inbound/header-charset';
import { contentHashOf } from '../../src/mail/inbound/raw-headers';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
// Shift_JIS for 日本語.
const SJIS = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]);

describe('decodeHeaderBytes', () => {
  const rows: Array<{ name: string; bytes: Buffer; charset: string | null; expected: string }> = [
    { name: 'ASCII as it is', bytes: Buffer.from('Plain subject'), charset: 'shift_jis', expected: 'Plain subject' },
    { name: 'valid UTF-8 whatever is declared', bytes: Buffer.from('Café – ok'), charset: 'iso-8859-1', expected: 'Café – ok' },
    {
      name: 'Latin-1 declared, read as windows-1252',
      bytes: latin1('Caf\xe9 \x96 \x93ok\x94'),
      charset: 'ISO-8859-1',
      expected: 'Café – “ok”',
    },
    { name: 'Shift_JIS declared', bytes: SJIS, charset: 'Shift_JIS', expected: '日本語' },
    { name: 'nothing declared: windows-1252', bytes: latin1('R\xe9sum\xe9'), charset: null, expected: 'Résumé' },
    { name: 'UTF-8 declared but not UTF-8: windows-1252', bytes: latin1('Zo\xeb'), charset: 'utf-8', expected: 'Zoë' },
    { name: 'an unknown charset: windows-1252', bytes: latin1('Zo\xeb'), charset: 'x-made-up', expected: 'Zoë' },
    {
      name: 'bytes the declared charset cannot hold: windows-1252',
      bytes: latin1('\xfd\xfe'),
      charset: 'shift_jis',
      expected: 'ýþ',
    },
  ];
  for (const row of rows)
    it(`decodes ${row.name}`, () => {
      assert.equal(decodeHeaderBytes(row.bytes, row.charset), row.expected);
    });
});

describe('declaredCharset', () => {
  it('takes the message’s own Content-Type, else the first part’s', () => {
    assert.equal(
      declaredCharset(Buffer.from('Subject: x\r\nContent-Type: text/plain;\r\n charset="Shift_JIS"\r\n\r\nbody')),
      'Shift_JIS',
    );
    const multipart = [
      'Subject: x',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=iso-8859-1',
      '',
      'body',
      '--b--',
    ].join('\r\n');
    assert.equal(declaredCharset(Buffer.from(multipart)), 'iso-8859-1');
    assert.equal(declaredCharset(Buffer.from('Subject: x\r\n\r\nbody')), null);
  });
});

describe('headersAsUtf8', () => {
  it('rewrites 8-bit header lines in UTF-8 and leaves the body alone', () => {
    const raw = Buffer.concat([
      Buffer.from('From: '),
      latin1('Jos\xe9'),
      Buffer.from(' <j@firm.example>\r\nSubject: '),
      SJIS,
      Buffer.from('\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n'),
      SJIS,
    ]);
    const out = headersAsUtf8(raw);
    const end = out.indexOf('\r\n\r\n') + 4;
    // The From name is not valid Shift_JIS, so it is read as Windows-1252; the Subject is Shift_JIS.
    assert.match(out.subarray(0, end).toString('utf8'), /^From: José <j@firm\.example>\r\nSubject: 日本語\r\n/);
    assert.deepEqual(out.subarray(end), SJIS, 'the body is the parser’s to decode, by its own charset');
  });

  it('gives back the very same buffer when there is nothing to decode', () => {
    const ascii = Buffer.from('Subject: hello\r\n\r\nCaf\xe9', 'latin1');
    assert.equal(headersAsUtf8(ascii), ascii);
    const utf8 = Buffer.from('Subject: Café\r\n\r\nbody');
    assert.equal(headersAsUtf8(utf8), utf8);
  });
});

describe('contentHashOf', () => {
  const message =
    'From: a@firm.example\r\nTo: b@court.example\r\nSubject: Login\r\nMessage-ID: <1@firm.example>\r\n\r\nIt fails.\r\n';

  it('is the same for copies that differ only on the way: trace headers, line ends, trailing blank lines', () => {
    const hash = contentHashOf(Buffer.from(message));
    assert.equal(contentHashOf(Buffer.from(`Received: from relay by mx\r\nDelivered-To: b@court.example\r\n${message}`)), hash);
    assert.equal(contentHashOf(Buffer.from(message.replace(/\r\n/g, '\n'))), hash);
    assert.equal(contentHashOf(Buffer.from(`${message}\r\n\r\n`)), hash);
  });

  it('differs when what the message says differs', () => {
    const hash = contentHashOf(Buffer.from(message));
    assert.notEqual(contentHashOf(Buffer.from(message.replace('Subject: Login', 'Subject: Other'))), hash);
    assert.notEqual(contentHashOf(Buffer.from(message.replace('It fails.', 'It works.'))), hash);
    assert.notEqual(contentHashOf(Buffer.from(message.replace('From: a@', 'From: z@'))), hash);
  });
});

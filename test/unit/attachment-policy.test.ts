import assert from 'node:assert/strict';
import { checkAttachment, DEFAULT_ATTACHMENT_LIMITS } from '../../src/mail/inbound/attachment-policy';

const MB = 1024 * 1024;

describe('checkAttachment with the default limits', () => {
  const accepted: Array<{ filename: string | undefined; contentType: string }> = [
    { filename: 'Motion to Extend.pdf', contentType: 'application/pdf' },
    { filename: 'screenshot.PNG', contentType: 'image/png' },
    { filename: 'error.jpg', contentType: 'image/jpeg' },
    { filename: 'error.jpeg', contentType: 'image/jpg' },
    { filename: 'spinner.gif', contentType: 'image/gif' },
    { filename: 'notes.txt', contentType: 'text/plain; charset=utf-8' },
    { filename: 'exhibits.csv', contentType: 'text/csv' },
    { filename: 'letter.doc', contentType: 'application/msword' },
    { filename: 'letter.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { filename: 'letter.rtf', contentType: 'text/rtf' },
    // Some mail programs say nothing about the type; the name then decides.
    { filename: 'scan.pdf', contentType: 'application/octet-stream' },
    // A pasted screenshot often has no name at all.
    { filename: undefined, contentType: 'image/png' },
    { filename: 'Invoice.exe.pdf', contentType: 'application/pdf' },
  ];
  for (const facts of accepted) {
    it(`accepts ${facts.filename ?? 'an unnamed file'} sent as ${facts.contentType}`, () => {
      assert.deepEqual(checkAttachment({ ...facts, size: 200_000 }, DEFAULT_ATTACHMENT_LIMITS), { ok: true });
    });
  }

  const forbidden: Array<{ why: string; filename: string | undefined; contentType: string }> = [
    { why: 'a program', filename: 'setup.exe', contentType: 'application/x-msdownload' },
    { why: 'a program that claims to be a PDF', filename: 'Order of the Court.exe', contentType: 'application/pdf' },
    { why: 'a double extension ending in .exe', filename: 'invoice.pdf.exe', contentType: 'application/pdf' },
    { why: 'a program in capitals with a trailing dot', filename: 'RUN.EXE.', contentType: 'application/pdf' },
    { why: 'a batch file', filename: 'fix.bat', contentType: 'text/plain' },
    { why: 'a cmd script', filename: 'fix.cmd', contentType: 'text/plain' },
    { why: 'a .com program', filename: 'x.com', contentType: 'application/octet-stream' },
    { why: 'JavaScript', filename: 'open.js', contentType: 'text/plain' },
    { why: 'VBScript', filename: 'open.vbs', contentType: 'text/plain' },
    { why: 'a screen saver', filename: 'court.scr', contentType: 'image/png' },
    { why: 'an installer', filename: 'ecf.msi', contentType: 'application/pdf' },
    { why: 'a Java archive', filename: 'tool.jar', contentType: 'application/java-archive' },
    { why: 'PowerShell', filename: 'run.ps1', contentType: 'text/plain' },
    { why: 'a shell script', filename: 'run.sh', contentType: 'text/plain' },
    { why: 'a web page', filename: 'login.html', contentType: 'text/plain' },
    { why: 'an old-style web page', filename: 'login.htm', contentType: 'application/pdf' },
    { why: 'HTML under a neutral name', filename: 'login.txt', contentType: 'text/html' },
    { why: 'a type the court does not take', filename: 'archive.zip', contentType: 'application/zip' },
    { why: 'an unknown extension', filename: 'brief.pages', contentType: 'application/pdf' },
    { why: 'an unnamed file of no stated type', filename: undefined, contentType: 'application/octet-stream' },
    { why: 'a file with no stated type and a strange name', filename: 'evidence.xyz', contentType: '' },
  ];
  for (const facts of forbidden) {
    it(`refuses ${facts.why} (${facts.filename ?? 'no name'}, ${facts.contentType || 'no type'})`, () => {
      const verdict = checkAttachment({ ...facts, size: 1000 }, DEFAULT_ATTACHMENT_LIMITS);
      assert.equal(verdict.ok, false);
      assert.equal(verdict.ok === false && verdict.reason, 'forbidden_type');
    });
  }

  it('accepts a file of exactly 10 MB and refuses one byte more', () => {
    const file = { filename: 'exhibit.pdf', contentType: 'application/pdf' };
    assert.deepEqual(checkAttachment({ ...file, size: 10 * MB }, DEFAULT_ATTACHMENT_LIMITS), { ok: true });
    const verdict = checkAttachment({ ...file, size: 10 * MB + 1 }, DEFAULT_ATTACHMENT_LIMITS);
    assert.equal(verdict.ok === false && verdict.reason, 'too_large');
  });

  it('explains a file that is too large in plain words, with both sizes', () => {
    const verdict = checkAttachment(
      { filename: 'exhibit.pdf', contentType: 'application/pdf', size: 25 * MB },
      DEFAULT_ATTACHMENT_LIMITS,
    );
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'too_large',
      message:
        'The file "exhibit.pdf" is 25 MB, which is more than the 10 MB we can accept for each file, so we did not keep it. ' +
        'Please send a smaller copy, or split it into parts and send them in separate emails.',
    });
  });

  it('explains a refused type by naming what we do accept', () => {
    const verdict = checkAttachment(
      { filename: 'setup.exe', contentType: 'application/pdf', size: 10 },
      DEFAULT_ATTACHMENT_LIMITS,
    );
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'forbidden_type',
      message:
        'The file "setup.exe" is a kind of file we cannot accept, so we did not keep it. ' +
        'We can accept PDF, PNG, JPEG, GIF, plain text, CSV, Word or RTF files. Please save it as one of these and send it again.',
    });
  });

  it('speaks of an unnamed file without inventing a name', () => {
    const verdict = checkAttachment({ filename: undefined, contentType: 'application/zip', size: 10 }, DEFAULT_ATTACHMENT_LIMITS);
    assert.ok(verdict.ok === false && verdict.message.startsWith('One of your attachments is a kind of file'));
  });

  it('refuses a forbidden type before looking at its size', () => {
    const verdict = checkAttachment(
      { filename: 'big.exe', contentType: 'application/pdf', size: 50 * MB },
      DEFAULT_ATTACHMENT_LIMITS,
    );
    assert.equal(verdict.ok === false && verdict.reason, 'forbidden_type');
  });

  it('cannot be widened by changing the exported defaults', () => {
    assert.throws(() => DEFAULT_ATTACHMENT_LIMITS.allowedTypes.push('application/x-msdownload'));
  });
});

describe('checkAttachment with configured limits', () => {
  const limits = { maxBytes: 2 * MB, allowedTypes: ['application/pdf', 'image/tiff', 'application/octet-stream'] };

  it('accepts a type the court has added', () => {
    assert.deepEqual(checkAttachment({ filename: 'scan.tif', contentType: 'image/tiff', size: 1000 }, limits), { ok: true });
  });

  it('refuses a default type the court has not listed', () => {
    const verdict = checkAttachment({ filename: 'photo.png', contentType: 'image/png', size: 1000 }, limits);
    assert.equal(verdict.ok === false && verdict.reason, 'forbidden_type');
  });

  it('still refuses programs even when any binary type is allowed', () => {
    const verdict = checkAttachment({ filename: 'setup.exe', contentType: 'application/octet-stream', size: 1000 }, limits);
    assert.equal(verdict.ok === false && verdict.reason, 'forbidden_type');
  });

  it('applies the configured size limit', () => {
    const verdict = checkAttachment({ filename: 'scan.pdf', contentType: 'application/pdf', size: 3 * MB }, limits);
    assert.ok(verdict.ok === false && verdict.reason === 'too_large' && verdict.message.includes('2 MB'));
  });
});

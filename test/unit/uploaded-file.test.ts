import assert from 'node:assert/strict';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../src/attachments/attachment-policy';
import { contentMatchesType } from '../../src/attachments/file-content';
import { checkUploadedFile, cleanFileName, describeFileSize } from '../../src/attachments/uploaded-file';

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(64, 0)]);
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26, 0), Buffer.from('word/document.xml')]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26, 0), Buffer.from('payload.exe')]);

const file = (filename: string, content: Buffer, declaredType = 'application/octet-stream') => ({
  filename,
  declaredType,
  content,
  size: content.length,
  truncated: false,
});

describe('checking an uploaded file by its content', () => {
  const cases: Array<[string, Buffer, string, boolean]> = [
    ['a PDF', PDF, 'application/pdf', true],
    ['a PDF with scanner junk before its header', Buffer.concat([Buffer.alloc(20, 0x20), PDF]), 'application/pdf', true],
    ['a Windows program', EXE, 'application/pdf', false],
    ['a Linux program', ELF, 'image/png', false],
    ['a Word document', DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', true],
    ['a zip of a program, named .docx', ZIP, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', false],
    ['plain text', Buffer.from('hello, world\n'), 'text/plain', true],
    ['a program named .txt', EXE, 'text/plain', false],
    ['a kind nobody checks', PDF, 'application/x-unknown', false],
    ['nothing at all', Buffer.alloc(0), 'application/pdf', false],
  ];
  for (const [what, content, type, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${what} as ${type}`, () => {
      assert.equal(contentMatchesType(content, type), expected);
    });
  }

  it('refuses an executable renamed .pdf with wrong_content, and too large before anything else', () => {
    assert.deepEqual(checkUploadedFile(file('report.pdf', EXE, 'application/pdf'), DEFAULT_ATTACHMENT_LIMITS), {
      ok: false,
      reason: 'wrong_content',
      filename: 'report.pdf',
    });
    const big = { ...file('big.exe', EXE), size: 11 * 1024 * 1024, truncated: true };
    assert.equal(checkUploadedFile(big, DEFAULT_ATTACHMENT_LIMITS).ok, false);
    assert.deepEqual(checkUploadedFile(big, DEFAULT_ATTACHMENT_LIMITS), { ok: false, reason: 'too_large', filename: 'big.exe' });
  });

  it('keeps the type its content and name agree on, not the one declared', () => {
    const verdict = checkUploadedFile(file('scan.pdf', PDF), DEFAULT_ATTACHMENT_LIMITS);
    assert.ok(verdict.ok);
    assert.equal(verdict.file.contentType, 'application/pdf');
  });
});

describe('cleaning file names', () => {
  const cases: Array<[string, string]> = [
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\pat\\Desktop\\report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['in\u0000voice\u0007.pdf', 'invoice.pdf'],
    ['invoice\u202efdp.exe', 'invoicefdp.exe'],
    ['  ..hidden  file . pdf. ', 'hidden file . pdf'],
    ['/', 'attachment'],
    [`${'a'.repeat(300)}.pdf`, `${'a'.repeat(196)}.pdf`],
  ];
  for (const [raw, clean] of cases) {
    it(`${JSON.stringify(raw).slice(0, 40)} → ${clean.slice(0, 30)}`, () => {
      assert.equal(cleanFileName(raw), clean);
    });
  }

  it('writes sizes in the filer’s language', () => {
    assert.equal(describeFileSize(2.45 * 1024 * 1024, 'en'), '2.5 MB');
    assert.equal(describeFileSize(2.45 * 1024 * 1024, 'es'), '2,5 MB');
    assert.equal(describeFileSize(300, 'en'), '1 KB');
  });
});

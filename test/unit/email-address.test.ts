import assert from 'node:assert/strict';
import { emailSchema, sameMailbox, withAsciiDomain } from '../../src/tickets/email.schema';

/** The address emailSchema keeps, or the code it refuses it with. */
function read(input: string): string {
  const result = emailSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return `refused:${issue.code === 'custom' ? (issue.params as { code: string }).code : issue.code}`;
}

describe('email addresses (RFC 5321 and RFC 6531)', () => {
  for (const [input, kept] of [
    ['pat.filer@example.com', 'pat.filer@example.com'],
    ['  Pat.Filer@Example.COM ', 'pat.filer@example.com'],
    ['"john doe"@example.com', '"john doe"@example.com'],
    ['"john\\"doe"@example.com', '"john\\"doe"@example.com'],
    ['"a@b"@example.com', '"a@b"@example.com'],
    // A quoted local part that needs no quotes is written without them (RFC 5321 4.1.2).
    ['"john.doe"@example.com', 'john.doe@example.com'],
    ["o'brien+ecf@example.com", "o'brien+ecf@example.com"],
    ['user@bücher.de', 'user@xn--bcher-kva.de'],
    ['user@BÜCHER.de', 'user@xn--bcher-kva.de'],
    ['user@xn--bcher-kva.de', 'user@xn--bcher-kva.de'],
    ['jörg@example.com', 'jörg@example.com'],
    ['用户@例子.测试', '用户@xn--fsqu00a.xn--0zwm56d'],
    ['filer@sub.domain-with-hyphen.example.org', 'filer@sub.domain-with-hyphen.example.org'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ] as const) {
    it(`keeps ${input} as ${kept}`, () => assert.equal(read(input), kept));
  }

  for (const [input, code] of [
    ['', 'too_small'],
    ['not-an-email', 'invalid_email'],
    ['pat@', 'invalid_email'],
    ['@example.com', 'invalid_email'],
    ['jordan.example', 'invalid_email'],
    ['john doe@example.com', 'invalid_email'],
    ['a..b@example.com', 'invalid_email'],
    ['.a@example.com', 'invalid_email'],
    ['a.@example.com', 'invalid_email'],
    ['""@example.com', 'invalid_email'],
    ['"unclosed@example.com', 'invalid_email'],
    ['"bad\\"@example.com', 'invalid_email'],
    ['a@localhost', 'invalid_email'],
    ['a@192.0.2.1', 'invalid_email'],
    ['a@[192.0.2.1]', 'invalid_email'],
    ['a@-example.com', 'invalid_email'],
    ['a@example-.com', 'invalid_email'],
    ['a@exa_mple.com', 'invalid_email'],
    ['a@example..com', 'invalid_email'],
    ['a@example.com.', 'invalid_email'],
    ['a@ex%41mple.com', 'invalid_email'],
    ['a@xn--zz.com', 'invalid_email'],
    ['a\u0000b@example.com', 'invalid_email'],
    ['a\u202eb@example.com', 'invalid_email'],
    ['a\u00a0b@example.com', 'invalid_email'],
    ['a@exam ple.com', 'invalid_email'],
    [`a@${'x'.repeat(64)}.com`, 'invalid_email'],
    // Lengths: local part 64 octets, the whole address 254 (UTF-8 counts in octets, not characters).
    [`${'a'.repeat(65)}@example.com`, 'too_long'],
    [`${'a'.repeat(300)}@example.com`, 'too_long'],
    [`${'ö'.repeat(33)}@example.com`, 'too_long'],
    [`a@${'abcdefghi.'.repeat(25)}example.com`, 'too_long'],
  ] as const) {
    it(`refuses ${JSON.stringify(input.length > 60 ? `${input.slice(0, 40)}…` : input)} with ${code}`, () =>
      assert.equal(read(input), `refused:${code}`));
  }

  it('compares mailboxes whatever the case and the form of the domain', () => {
    assert.ok(sameMailbox('Pat@Bücher.de', 'pat@xn--bcher-kva.de'));
    assert.ok(sameMailbox('PAT.FILER@EXAMPLE.COM', 'pat.filer@example.com'));
    assert.ok(!sameMailbox('pat@example.com', 'pat@example.org'));
    assert.ok(!sameMailbox('not an address', 'not an address'));
  });

  it('gives the mail server the ASCII form of an international domain', () => {
    assert.equal(withAsciiDomain('user@bücher.de'), 'user@xn--bcher-kva.de');
    assert.equal(withAsciiDomain('"john doe"@example.com'), '"john doe"@example.com');
    assert.equal(withAsciiDomain('jörg@example.com'), 'jörg@example.com');
  });
});

import assert from 'node:assert/strict';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from '../../src/staff/recovery-codes';
import { passwordRules, reopensAt, secondStepRules } from '../../src/staff/sign-in-throttle';
import { createSecretBox } from '../../src/staff/totp-secret-box';

describe('two-step sign-in pieces', () => {
  describe('when a locked sign-in opens again', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 15, minute)).toISOString();
    const cases: Array<[string, string[], number, string | undefined]> = [
      ['under the limit: not locked', [at(4), at(3), at(2), at(1)], 5, undefined],
      ['at the limit: when the oldest of them leaves the window', [at(5), at(4), at(3), at(2), at(1)], 5, at(16)],
      ['over the limit: when the limit-th newest leaves', [at(9), at(8), at(7), at(6), at(5), at(1)], 5, at(20)],
      ['a limit of one', [at(7)], 1, at(22)],
    ];
    for (const [name, failures, max, expected] of cases)
      it(name, () => assert.equal(reopensAt(failures, max)?.toISOString(), expected));
  });

  it('counts a password by account and address together, and by address; a code also by account', () => {
    assert.deepEqual(
      passwordRules('Pat@Example.gov', '203.0.113.9').map((r) => [r.key, r.max]),
      [
        ['password:pat@example.gov|203.0.113.9', 5],
        ['address:203.0.113.9', 20],
      ],
    );
    assert.deepEqual(
      secondStepRules(7, '203.0.113.9').map((r) => r.key),
      ['second-step:7|203.0.113.9', 'second-step:7', 'address:203.0.113.9'],
    );
  });

  it('encrypts a TOTP secret so that only the same SESSION_SECRET and the same account open it', () => {
    const box = createSecretBox('s'.repeat(40));
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 12);
    assert.ok(!sealed.includes('JBSWY3DP'));
    assert.notEqual(box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 12), sealed, 'a fresh IV each time');
    assert.equal(box.open(sealed, 12), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    assert.equal(box.open(sealed, 13), undefined, 'moved onto another account');
    assert.equal(createSecretBox('t'.repeat(40)).open(sealed, 12), undefined, 'another SESSION_SECRET');
    const [v, iv, tag, body] = sealed.split(':');
    assert.equal(
      box.open([v, iv, tag, `${body.startsWith('A') ? 'B' : 'A'}${body.slice(1)}`].join(':'), 12),
      undefined,
      'tampered with',
    );
    assert.equal(box.open('garbage', 12), undefined);
  });

  it('makes ten distinct 80-bit recovery codes, read back however they are typed', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
    const normalised = normaliseRecoveryCode(` ${codes[0].toUpperCase().replace(/-/g, ' ')} `);
    assert.equal(normalised, codes[0].replace(/-/g, ''));
    assert.equal(hashRecoveryCode(normalised!), hashRecoveryCode(normaliseRecoveryCode(codes[0])!));
    assert.equal(normaliseRecoveryCode('123456'), undefined);
    assert.equal(normaliseRecoveryCode('abcd-efgh-ijkm-nop0'), undefined, 'a zero is not in the alphabet');
  });
});

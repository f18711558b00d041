import assert from 'node:assert/strict';
import { commonPasswords, isCommonPassword, parsePasswordList } from '../../src/staff/password-policy';
import { passwordSchema } from '../../src/staff/staff.schema';
import { fieldErrors } from '../../src/http/validate';
import { staffMessages } from '../../src/staff/staff.schema';

describe('the staff password policy', () => {
  const list = parsePasswordList('# a comment\npassword\nQwerty\n\niloveyou\nletmeinletmein\n');

  it('reads a list file: one password a line, lower-cased, comments and blank lines skipped', () => {
    assert.deepEqual([...list].sort(), ['iloveyou', 'letmeinletmein', 'password', 'qwerty']);
  });

  const cases: Array<[string, boolean]> = [
    ['password', true],
    ['PassWord', true],
    ['letmeinletmein', true],
    ['qwertyqwertyqwerty', true], // repeated
    ['password2024!', true], // digits and symbols added after
    ['!!2024password', true], // and before
    ['i love you 1234', true], // spaces dropped
    ['aaaaaaaaaaaaaa', true], // one character over and over
    ['correct horse battery staple', false],
    ['password manager tips', false], // a common word inside a passphrase is fine
    ['qwerty plus thirty', false],
  ];
  for (const [password, common] of cases) {
    it(`${common ? 'refuses' : 'accepts'} "${password}"`, () => {
      assert.equal(isCommonPassword(password, list), common);
    });
  }

  it('ships a list of at least 10,000 common passwords, the long ones of the public list included', () => {
    const shipped = commonPasswords();
    assert.ok(shipped.size >= 10_000, `only ${shipped.size} passwords`);
    for (const known of ['123456', 'password', 'iloveyou', 'qwertyuiop', '1qaz2wsx3edc', 'administrator'])
      assert.ok(shipped.has(known), known);
    assert.equal(isCommonPassword('Password123456'), true);
    assert.equal(isCommonPassword('administrator!'), true);
    assert.equal(isCommonPassword('a long staff passphrase'), false);
  });

  it('the password schema says in plain words why a password is refused: too short, or too common', () => {
    const reason = (password: string) => {
      const parsed = passwordSchema.safeParse(password);
      if (parsed.success) return null;
      const [error] = fieldErrors(
        parsed.error.issues.map((i) => ({ ...i, path: ['password'] })),
        staffMessages,
        { password },
      );
      return error;
    };
    assert.equal(reason('short')?.code, 'too_short');
    assert.equal(reason('qwertyuiop123')?.code, 'common_password');
    assert.match(reason('qwertyuiop123')?.message ?? '', /too easy to guess/);
    assert.equal(reason('a long staff passphrase'), null);
  });
});

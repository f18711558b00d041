import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { maskPrivateData, type RedactionKind } from '../../src/privacy/mask';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'privacy');

/** Text with private data, the masked text expected, and the kinds of redaction in order. */
const masked: Array<{ text: string; expected: string; kinds: RedactionKind[] }> = [
  // Social Security numbers
  { text: 'My SSN is 123-45-6789.', expected: 'My SSN is XXX-XX-6789.', kinds: ['ssn'] },
  { text: 'ssn 123 45 6789', expected: 'ssn XXX XX 6789', kinds: ['ssn'] },
  { text: 'Social Security number: 123456789', expected: 'Social Security number: XXX-XX-6789', kinds: ['ssn'] },
  { text: 'SSN# 123456789, thanks', expected: 'SSN# XXX-XX-6789, thanks', kinds: ['ssn'] },
  { text: 'the last page lists 078-05-1120 by mistake', expected: 'the last page lists XXX-XX-1120 by mistake', kinds: ['ssn'] },
  // Taxpayer numbers
  { text: 'Our EIN is 12-3456789.', expected: 'Our EIN is XX-XXX6789.', kinds: ['tin'] },
  { text: 'tax id: 12-3456789', expected: 'tax id: XX-XXX6789', kinds: ['tin'] },
  { text: 'Taxpayer identification number 123456789', expected: 'Taxpayer identification number XXX-XX-6789', kinds: ['tin'] },
  { text: 'my ITIN 912-78-1234', expected: 'my ITIN XXX-XX-1234', kinds: ['tin'] },
  { text: 'ITIN 912781234', expected: 'ITIN XXX-XX-1234', kinds: ['tin'] },
  // Financial account and card numbers
  { text: 'account number 1234567890123 at Chase', expected: 'account number XXXX0123 at Chase', kinds: ['account_number'] },
  { text: 'Acct. No. 0001-2345-6789', expected: 'Acct. No. XXXX6789', kinds: ['account_number'] },
  { text: 'routing 021000021', expected: 'routing XXXX0021', kinds: ['account_number'] },
  { text: 'checking account # 000123456789', expected: 'checking account # XXXX6789', kinds: ['account_number'] },
  { text: 'my card 4111 1111 1111 1111 was charged', expected: 'my card XXXX1111 was charged', kinds: ['account_number'] },
  { text: 'charged 4111111111111111 twice', expected: 'charged XXXX1111 twice', kinds: ['account_number'] },
  { text: 'Amex 3782 822463 10005 declined', expected: 'Amex XXXX0005 declined', kinds: ['account_number'] },
  { text: 'IBAN: DE89 3704 0044 0532 0130 00', expected: 'IBAN: XXXX3000', kinds: ['account_number'] },
  // Birth dates
  { text: 'DOB: 03/14/1985', expected: 'DOB: XX/XX/1985', kinds: ['birth_date'] },
  { text: 'date of birth March 14, 1985.', expected: 'date of birth XX/XX/1985.', kinds: ['birth_date'] },
  { text: 'He was born on 1985-03-14 in Ohio.', expected: 'He was born on 1985-XX-XX in Ohio.', kinds: ['birth_date'] },
  { text: 'birthday: 14 March 1985', expected: 'birthday: XX/XX/1985', kinds: ['birth_date'] },
  { text: 'D.O.B. 3/14/85', expected: 'D.O.B. XX/XX/85', kinds: ['birth_date'] },
  { text: 'born in Texas on Jan. 5th, 2012', expected: 'born in Texas on XX/XX/2012', kinds: ['birth_date'] },
  // Minors' names
  { text: 'my son Tommy Smith was served', expected: 'my son T.S. was served', kinds: ['minor_name'] },
  { text: 'my daughter, Ana, is 9', expected: 'my daughter, A., is 9', kinds: ['minor_name'] },
  { text: 'the minor child Jacob Lee testified', expected: 'the minor child J.L. testified', kinds: ['minor_name'] },
  { text: 'My 12-year-old daughter Emily Chen', expected: 'My 12-year-old daughter E.C.', kinds: ['minor_name'] },
  { text: 'on behalf of Maria Lopez, a minor', expected: 'on behalf of M.L., a minor', kinds: ['minor_name'] },
  { text: 'for Sam Ortiz (age 15)', expected: 'for S.O. (age 15)', kinds: ['minor_name'] },
  {
    text: "my son Tommy Smith goes to school; Tommy's teacher wrote",
    expected: "my son T.S. goes to school; T.'s teacher wrote",
    kinds: ['minor_name', 'minor_name'],
  },
  // Numbers run together with words, as an HTML table becomes when its cells are joined
  { text: 'SSN123-45-6789DOB', expected: 'SSNXXX-XX-6789DOB', kinds: ['ssn'] },
  { text: 'SSN 123456789DOB 03/14/1985', expected: 'SSN XXX-XX-6789DOB XX/XX/1985', kinds: ['ssn', 'birth_date'] },
  { text: 'SSN123-45-6789DOB03/14/1985', expected: 'SSNXXX-XX-6789DOBXX/XX/1985', kinds: ['ssn', 'birth_date'] },
  { text: 'SSN-123-45-6789', expected: 'SSN-XXX-XX-6789', kinds: ['ssn'] },
  { text: 'SSN: 123456789Thanks', expected: 'SSN: XXX-XX-6789Thanks', kinds: ['ssn'] },
  { text: 'EIN-12-3456789', expected: 'EIN-XX-XXX6789', kinds: ['tin'] },
  {
    text: 'account # 000123456789Routing 021000021',
    expected: 'account # XXXX6789Routing XXXX0021',
    kinds: ['account_number', 'account_number'],
  },
  // Full-width and other Unicode digits (a phone keyboard in Japanese, Arabic-Indic digits)
  { text: 'SSN １２３-４５-６７８９', expected: 'SSN XXX-XX-6789', kinds: ['ssn'] },
  { text: 'my number is １２３－４５－６７８９.', expected: 'my number is XXX-XX-6789.', kinds: ['ssn'] },
  { text: 'ＳＳＮ：１２３４５６７８９', expected: 'ＳＳＮ：XXX-XX-6789', kinds: ['ssn'] },
  { text: 'SSN 1234\u200b56789', expected: 'SSN XXX-XX-6789', kinds: ['ssn'] },
  { text: 'SSN 123\u00ad45\u20606789 please', expected: 'SSN XXX-XX-6789 please', kinds: ['ssn'] },
  { text: 'SSN ١٢٣-٤٥-٦٧٨٩ ok', expected: 'SSN XXX-XX-6789 ok', kinds: ['ssn'] },
  { text: 'SSN 𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗 ok', expected: 'SSN XXX-XX-6789 ok', kinds: ['ssn'] },
  { text: 'DOB: ０３/１４/１９８５', expected: 'DOB: XX/XX/1985', kinds: ['birth_date'] },
  { text: 'card ４１１１ １１１１ １１１１ １１１１', expected: 'card XXXX1111', kinds: ['account_number'] },
  { text: 'SSN\u00a0123\u00a045\u00a06789', expected: 'SSN\u00a0XXX XX 6789', kinds: ['ssn'] },
];

/** Text that looks a little like private data and must come back unchanged. */
const untouched: Array<{ what: string; text: string }> = [
  { what: 'a district case number', text: 'Case 3:20-cv-01234-JST' },
  { what: 'a criminal case number with a defendant', text: 'in 1:17-cr-00201-ABJ-2 the order' },
  { what: 'an appellate case number', text: 'Ninth Circuit No. 21-16499' },
  { what: 'a phone number in parentheses', text: 'call (866) 555-0100' },
  { what: 'a dashed phone number', text: 'call 206-370-8440 today' },
  { what: 'an international phone number', text: 'call +1 206 555 0142' },
  { what: 'a phone number near the word account', text: 'call the account department at 206-370-8440' },
  { what: 'a filing date', text: 'I filed it on 03/14/2026' },
  { what: 'a hearing date in words', text: 'the hearing is March 14, 2026' },
  { what: 'an ISO date', text: 'entered 2026-03-14' },
  { what: 'a ZIP+4 code', text: 'San Francisco, CA 94102-1234' },
  { what: 'money', text: 'paid $405.00 and $1,234,567 in fees, $123456789 claimed' },
  { what: 'docket entry numbers', text: 'ECF No. 57, Dkt. 123-4, docket entry 1234' },
  { what: 'a helpdesk reference', text: 'Ref HD-2026-000123' },
  { what: 'an unlabelled nine-digit number', text: 'receipt 123456789' },
  { what: 'a number failing the Luhn check', text: 'tracking 4111111111111112' },
  { what: 'a PACER account number', text: 'My PACER account 12345678 is locked' },
  { what: 'a last four already masked', text: 'card ending in 1234' },
  { what: 'a minor already named by initials', text: 'minor J. Doe and the minor J.D.' },
  { what: "a child's name without a name", text: 'my son and I filed; my daughter is 9' },
  { what: 'the word minor as an adjective', text: 'a minor issue with the upload' },
  { what: 'a birth year alone', text: 'born in 1985' },
  { what: 'an SSN-shaped number with an invalid area', text: 'code 000-12-3456' },
  { what: 'a case number in full-width digits', text: 'Case ３:２０-cv-０１２３４-JST' },
  { what: 'a phone number in full-width digits', text: 'call （８６６） ５５５-０１００' },
  { what: 'a filing date in full-width digits', text: 'filed ０３/１４/２０２６' },
  { what: 'a phone number run into words', text: 'call206-370-8440today' },
  { what: 'a case number run into words', text: 'Case3:24-cv-01234filed' },
  { what: 'a long number in a message identifier', text: 'Message-ID: <CAF4111111111111111x@mail.example>' },
  { what: 'a number glued to a word after an account label', text: 'my account ref12345678 is fine' },
  { what: 'a label inside another word', text: 'the adobe form 03/14/1985 and protein 123456789' },
];

describe('maskPrivateData', () => {
  for (const { text, expected, kinds } of masked) {
    it(`masks ${kinds.join(', ')}: ${text}`, () => {
      const result = maskPrivateData(text);
      assert.equal(result.text, expected);
      assert.deepEqual(
        result.redactions.map((r) => r.kind),
        kinds,
      );
      for (const redaction of result.redactions) {
        assert.equal(text.slice(redaction.index, redaction.index + redaction.original.length), redaction.original);
        assert.ok(result.text.includes(redaction.masked));
      }
    });
  }

  for (const { what, text } of untouched) {
    it(`leaves ${what} alone`, () => {
      assert.deepEqual(maskPrivateData(text), { text, redactions: [] });
    });
  }

  it('masks a whole request and leaves its case numbers, phones, dates and amounts as they were', () => {
    const original = readFileSync(path.join(FIXTURES, 'request-with-private-data.txt'), 'utf8');
    const expected = readFileSync(path.join(FIXTURES, 'request-with-private-data.masked.txt'), 'utf8');
    const result = maskPrivateData(original);
    assert.equal(result.text, expected);
    assert.deepEqual(
      result.redactions.map((r) => r.kind),
      ['minor_name', 'minor_name', 'birth_date', 'ssn', 'account_number', 'account_number', 'account_number', 'tin'],
    );
  });

  it('keeps only the last four digits or the birth year of what it masks', () => {
    const { redactions } = maskPrivateData('SSN 123-45-6789, card 4111 1111 1111 1111, DOB 03/14/1985');
    assert.deepEqual(
      redactions.map((r) => r.masked.replace(/X/g, '').replace(/[^\d]/g, '')),
      ['6789', '1111', '1985'],
    );
  });

  it('returns text without private data unchanged', () => {
    assert.deepEqual(maskPrivateData(''), { text: '', redactions: [] });
  });
});

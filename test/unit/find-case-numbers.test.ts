import assert from 'node:assert/strict';
import { findCaseNumbers, parseCaseNumber, type CaseNumber } from '../../src/case-numbers/find-case-numbers';

type Expected = Partial<CaseNumber> & { number: string };

/** The fields a case names in `expected`, read from `actual`, so each row states only what it is about. */
function pick(actual: CaseNumber, expected: Expected): Partial<CaseNumber> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof CaseNumber]]));
}

describe('findCaseNumbers', () => {
  const recognised: Array<{ text: string; expected: Expected }> = [
    {
      text: '3:20-cv-1234-JST',
      expected: {
        number: '3:20-cv-01234',
        office: 3,
        year: 20,
        type: 'cv',
        sequence: 1234,
        judgeInitials: ['JST'],
      },
    },
    {
      text: '3:20-CV-01234',
      expected: {
        number: '3:20-cv-01234',
        office: 3,
        year: 20,
        type: 'cv',
        judgeInitials: [],
      },
    },
    {
      text: '3:20\u2013cv\u20131234',
      expected: { number: '3:20-cv-01234', office: 3, year: 20, type: 'cv' },
    },
    {
      text: '3:20\u2014cv\u20141234',
      expected: { number: '3:20-cv-01234', office: 3, year: 20, type: 'cv' },
    },
    {
      text: '3:20cv1234',
      expected: {
        number: '3:20-cv-01234',
        office: 3,
        year: 20,
        type: 'cv',
        sequence: 1234,
      },
    },
    {
      text: '1:17-cr-00201-ABJ-2',
      expected: {
        number: '1:17-cr-00201',
        office: 1,
        year: 17,
        type: 'cr',
        judgeInitials: ['ABJ'],
        defendant: 2,
      },
    },
    {
      text: '2:21-cv-00080-WBV-DPC',
      expected: {
        number: '2:21-cv-00080',
        office: 2,
        year: 21,
        type: 'cv',
        sequence: 80,
        judgeInitials: ['WBV', 'DPC'],
      },
    },
    {
      text: '19-12345',
      expected: {
        number: '19-12345',
        office: null,
        year: 19,
        type: null,
        sequence: 12345,
      },
    },
    {
      text: '24-04888-CL7',
      expected: {
        number: '24-04888',
        office: null,
        year: 24,
        type: null,
        sequence: 4888,
      },
    },
    {
      text: 'Case Number:24-30774',
      expected: { number: '24-30774', office: null, year: 24, sequence: 30774 },
    },
    {
      text: '21-16499',
      expected: { number: '21-16499', office: null, year: 21, sequence: 16499 },
    },
    {
      text: 'Appeal No. 22-7',
      expected: { number: '22-7', office: null, year: 22, sequence: 7 },
    },
    {
      text: '1-23-01071-nhl',
      expected: {
        number: '1-23-01071',
        office: 1,
        year: 23,
        type: null,
        sequence: 1071,
        judgeInitials: ['NHL'],
      },
    },
    {
      text: 'Case No. 3:20-cv-1234',
      expected: { number: '3:20-cv-01234', office: 3, year: 20, type: 'cv' },
    },
    {
      text: 'MDL No. 2967',
      expected: {
        number: 'MDL No. 2967',
        office: null,
        year: null,
        type: 'mdl',
        sequence: 2967,
      },
    },
  ];

  for (const { text, expected } of recognised) {
    it(`recognises "${text}" as ${expected.number}`, () => {
      const found = findCaseNumbers(text);
      assert.equal(found.length, 1, `expected one case number in "${text}", got ${JSON.stringify(found)}`);
      assert.deepEqual(pick(found[0], expected), expected);
    });
  }

  it('recognises a case number inside a sentence', () => {
    const found = findCaseNumbers('Re: filing error in 3:20-cv-1234-JST, please help');
    assert.deepEqual(
      found.map((c) => c.number),
      ['3:20-cv-01234'],
    );
  });

  it('reports the same case written twice once, with the judge initials of both mentions', () => {
    const found = findCaseNumbers('Re 3:20-cv-1234-JST, also filed as 3:20\u2013cv\u201301234-RS');
    assert.equal(found.length, 1);
    assert.deepEqual(pick(found[0], { number: '3:20-cv-01234', judgeInitials: ['JST', 'RS'] }), {
      number: '3:20-cv-01234',
      judgeInitials: ['JST', 'RS'],
    });
  });

  it('lists district case numbers in the order they first appear', () => {
    const found = findCaseNumbers('Filed in 3:21-cv-00005 after 3:20-cv-1234 was closed; see 3:21-cv-5');
    assert.deepEqual(
      found.map((c) => c.number),
      ['3:21-cv-00005', '3:20-cv-01234'],
    );
  });

  it('lists case numbers of different forms in the order they first appear', () => {
    const found = findCaseNumbers('Case No. 19-12345 (part of MDL No. 2967) is related to 3:20-cv-1234 and 1-23-01071-nhl');
    assert.deepEqual(
      found.map((c) => c.number),
      ['19-12345', 'MDL No. 2967', '3:20-cv-01234', '1-23-01071'],
    );
  });

  const notCaseNumbers: Array<{ what: string; text: string }> = [
    { what: 'an ISO date', text: 'The hearing is on 2021-08-09.' },
    { what: 'a US date', text: 'The hearing is on 8/9/2021.' },
    { what: 'a month-day date', text: 'We are closed 12-25.' },
    { what: 'a phone number in parentheses', text: 'Call (866) 555-0100.' },
    { what: 'a dashed phone number', text: 'Call 866-555-0100.' },
    { what: 'another dashed phone number', text: 'My number is 206-370-8440' },
    { what: 'a ZIP+4 code', text: 'San Francisco, CA 94102-1234' },
    { what: 'a page range', text: 'See pages 12-15 of the order.' },
    { what: 'a range of times', text: 'Open 10:00-11:00 only.' },
    {
      what: 'a rule citation',
      text: 'Redact under Fed. R. Civ. P. 5.2 before filing.',
    },
    { what: 'an amount of money', text: 'Fees from $12-500 apply.' },
    { what: 'a social security number', text: 'My SSN is 123-45-6789' },
  ];

  for (const { what, text } of notCaseNumbers) {
    it(`finds nothing in ${what}: "${text}"`, () => {
      assert.deepEqual(findCaseNumbers(text), []);
    });
  }

  it('finds nothing in a date, phone number or ZIP code even after the word "case"', () => {
    for (const text of ['Case No. 2021-08-09', 'Case No. 866-555-0100', 'Case No. 94102-1234', 'Case No. 123-45-6789']) {
      assert.deepEqual(findCaseNumbers(text), [], text);
    }
  });
});

describe('parseCaseNumber', () => {
  const accepted: Array<{ input: string; number: string }> = [
    { input: '21-16499', number: '21-16499' },
    { input: '3:20-cv-1234', number: '3:20-cv-01234' },
    { input: 'Case No. 3:20-cv-1234', number: '3:20-cv-01234' },
    { input: 'Case No. 21-16499', number: '21-16499' },
    { input: '  22-7  ', number: '22-7' },
  ];

  for (const { input, number } of accepted) {
    it(`accepts "${input}" as ${number}`, () => {
      assert.equal(parseCaseNumber(input)?.number, number);
    });
  }

  const refused: Array<{ what: string; input: string }> = [
    { what: 'a word', input: 'hello' },
    { what: 'an empty field', input: '' },
    { what: 'a blank field', input: '   ' },
    {
      what: 'two different case numbers',
      input: '3:20-cv-1234 and 3:21-cv-5678',
    },
    { what: 'a date', input: '2021-08-09' },
  ];

  for (const { what, input } of refused) {
    it(`refuses ${what}: "${input}"`, () => {
      assert.equal(parseCaseNumber(input), null);
    });
  }

  it('accepts one case number written twice in the field', () => {
    assert.equal(parseCaseNumber('3:20-cv-1234 (3:20-cv-01234-JST)')?.number, '3:20-cv-01234');
  });
});

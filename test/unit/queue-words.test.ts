import assert from 'node:assert/strict';
import { candidateLengths, correctable, nearestWords } from '../../src/staff/search-typos';
import { normaliseTag } from '../../src/tickets/ticket-tags';

// Index words as the staff search's index holds them: Porter stems.
const INDEX = ['pacer', 'password', 'pay', 'payment', 'registr', 'exhibit', 'upload', 'document', 'docket', 'agre'];

describe('queue search: typos corrected against the index words', () => {
  const cases: Array<[string, boolean, string[]]> = [
    ['pasword', false, ['password']],
    ['passwrod', false, ['password']],
    ['paswrod', false, []], // seven letters allow one typo; this one has two
    ['registartion', false, ['registr']],
    ['regstraton', false, ['registr']],
    ['documnet', false, ['document']],
    ['uplaod', false, ['upload']],
    ['exhb', true, ['exhibit']], // the start of a word being typed
    ['xqzvwk', false, []],
  ];
  for (const [word, prefix, expected] of cases)
    it(`"${word}"${prefix ? ' (start of a word)' : ''} → ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(nearestWords(word, INDEX, { prefix }), expected);
    });

  it('corrects words of letters only, four letters or more', () => {
    assert.deepEqual(['pdf', 'upload', 'hd2026', '12345', 'exhibit'].map(correctable), [false, true, false, false, true]);
  });

  it('reads index words short enough to be a stem of the word, and any longer word for the start of one', () => {
    assert.deepEqual(candidateLengths('regstraton', false), { min: 3, max: 12 });
    assert.deepEqual(candidateLengths('exhb', true), { min: 3, max: 40 });
  });
});

describe('tags', () => {
  const cases: Array<[string, string | null]> = [
    ['  PACER  Login ', 'pacer login'],
    ['e-filing', 'e-filing'],
    ['Año 2026', 'año 2026'],
    ['', null],
    ['   ', null],
    ['bad<tag>', null],
    ['comma, separated', null],
    ['x'.repeat(40), 'x'.repeat(40)],
    ['x'.repeat(41), null],
  ];
  for (const [input, expected] of cases)
    it(`"${input.length > 20 ? `${input.slice(0, 8)}… (${input.length})` : input}" → ${expected === null ? 'refused' : `"${expected.length > 20 ? `${expected.length} characters` : expected}"`}`, () => {
      assert.equal(normaliseTag(input), expected);
    });
});

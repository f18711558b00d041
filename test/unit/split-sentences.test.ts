import assert from 'node:assert/strict';
import { loadScopeRules } from '../../src/policy/scope-guard';
import { isAbbreviation, splitSentences } from '../../src/policy/split-sentences';

/**
 * Sentence splitting reads the word before each full stop backwards. These tests hold it to the
 * reading it replaced (a regular expression over the line up to the stop, which took quadratic time
 * on a long line) at every full stop of many generated lines, and split a long line of a pasted docket.
 */
describe('splitting a request into sentences', () => {
  const rules = loadScopeRules();

  /** The former reading: the longest run of letters and full stops, starting with a letter, before the stop. */
  function wasAbbreviation(line: string, at: number): boolean {
    const word = /([A-Za-z][A-Za-z.]*)$/.exec(line.slice(0, at))?.[1];
    return Boolean(word && (word.length === 1 || rules.abbreviations.has(word.toLowerCase())));
  }

  it('tells an abbreviation from the end of a sentence exactly as the former reading did', () => {
    const pieces = [
      'Dr.',
      'No.',
      'e.g.',
      'U.S.',
      'a.m.',
      'R.',
      'X.',
      'v.',
      'Fed.',
      'file.',
      'the',
      'judge',
      '3.5',
      '12.',
      '...',
      '.',
      '?',
      '"quoted."',
      '(see Doc. 4.)',
      'ECF.',
      '.x',
      'é.',
      'i.e..',
      ' ',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let stops = 0;
    for (let n = 0; n < 2000; n += 1) {
      const words = Array.from({ length: 1 + Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)]);
      const line = words.join(next() < 0.8 ? ' ' : '');
      for (let at = line.indexOf('.'); at >= 0; at = line.indexOf('.', at + 1)) {
        stops += 1;
        assert.equal(
          isAbbreviation(line, at, rules.abbreviations),
          wasAbbreviation(line, at),
          `${JSON.stringify(line)} at ${at}`,
        );
      }
    }
    assert.ok(stops > 10_000, `only ${stops} full stops tried`);
  });

  it('reads a long line of a pasted docket in one pass', () => {
    const line = 'Entry No. 12 was filed by Dr. Smith at 9 a.m. and it went fine. '.repeat(1300);
    const sentences = splitSentences(line, rules);
    assert.equal(sentences.length, 1300);
    assert.equal(sentences[0], 'Entry No. 12 was filed by Dr. Smith at 9 a.m. and it went fine.');
  });
});

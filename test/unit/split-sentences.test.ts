import assert from 'node:assert/strict';
import { loadScopeRules } from '../../src/policy/scope-guard';
import { splitSentences } from '../../src/policy/split-sentences';

/**
 * Sentence splitting reads the word before each full stop backwards. These tests hold it to the
 * reading it replaced (a regular expression over the line up to the stop, which took quadratic time
 * on a long line) on many generated lines, and check a long line of a pasted docket.
 */
describe('splitting a request into sentences', () => {
  const rules = loadScopeRules();

  /** The former reading: the longest run of letters and full stops, starting with a letter, before the stop. */
  function splitAsBefore(text: string): string[] {
    const END = /[.?!;]+(?=\s|$|["')\]])/g;
    const sentences: string[] = [];
    for (const line of text.split(/\r?\n+/)) {
      const cuts = new Set<number>();
      for (const match of line.matchAll(END)) {
        const word = /([A-Za-z][A-Za-z.]*)$/.exec(line.slice(0, match.index))?.[1];
        if (match[0] === '.' && word && (word.length === 1 || rules.abbreviations.has(word.toLowerCase()))) continue;
        cuts.add(match.index + match[0].length);
      }
      if (rules.sentenceBreak) for (const match of line.matchAll(rules.sentenceBreak)) if (match.index > 0) cuts.add(match.index);
      let start = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        sentences.push(line.slice(start, cut));
        start = cut;
      }
      sentences.push(line.slice(start));
    }
    return sentences.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => /[a-z0-9]/i.test(s));
  }

  it('splits generated lines exactly as the former reading did', () => {
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
      '!',
      ';',
      '"quoted."',
      '(see Doc. 4.)',
      'also,',
      'and can you',
      'please',
      'ECF.',
      '.x',
      'é.',
      '\n',
      ' ',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 2000; n += 1) {
      const words = Array.from({ length: 1 + Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)]);
      const text = words.join(next() < 0.8 ? ' ' : '');
      assert.deepEqual(splitSentences(text, rules), splitAsBefore(text), JSON.stringify(text));
    }
  });

  it('reads a long line of a pasted docket in one pass', () => {
    const line = 'Entry No. 12 was filed by Dr. Smith at 9 a.m. and it went fine. '.repeat(1300);
    const sentences = splitSentences(line, rules);
    assert.equal(sentences.length, 1300);
    assert.equal(sentences[0], 'Entry No. 12 was filed by Dr. Smith at 9 a.m. and it went fine.');
  });
});

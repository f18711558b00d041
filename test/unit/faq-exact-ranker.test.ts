import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import lunr from 'lunr';
import { courtProfileSchema } from '../../src/config/court-profile';
import { loadFaqAnswers } from '../../src/faq/faq-content';
import { buildFaqIndex, exactRanker, queryWords } from '../../src/faq/faq-search';

/**
 * FAQ suggestions rank a whole request by reading Lunr's index directly (exactRanker). They must
 * give what Lunr's own query gives for the same words: the same answers, in the same order, with the
 * same scores and the same matched positions, on every answer's text and on real requests.
 */
const ROOT = path.resolve(__dirname, '..', '..');

describe('FAQ suggestions: the exact-word ranker gives what Lunr gives', () => {
  const answers = loadFaqAnswers(path.join(ROOT, 'faq-content'), courtProfileSchema.parse({}));
  const index = buildFaqIndex(answers);
  const rank = exactRanker(index);
  const stemOf = (word: string) => lunr.stemmer(new lunr.Token(word, {})).toString();

  const requests = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/triage/labelled-requests.json'), 'utf8')) as Array<{
    subject?: string;
    body: string;
  }>;
  const queries = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/faq-relevance.json'), 'utf8')) as Array<{
    query: string;
  }>;
  const inputs = [
    ...answers.map((a) => a.text),
    ...answers.map((a) => `${a.title} ${a.keywords.join(' ')}`),
    ...requests.map((r) => `${r.subject ?? ''} ${r.body}`),
    ...queries.map((q) => q.query),
    // A word given in two forms counts twice; words the index does not hold count for nothing.
    'upload uploading uploaded zzzzqx exhibit exhibits',
  ];

  it('agrees with Lunr on every input', () => {
    assert.ok(inputs.length > 200, `only ${inputs.length} inputs`);
    let compared = 0;
    for (const input of inputs) {
      const words = queryWords(input, 60);
      const expected = index.query((q) => {
        for (const word of words) q.term(word, { boost: 10 });
      });
      const actual = rank(words.map(stemOf), 10);
      const label = JSON.stringify(input.slice(0, 80));
      // The same answers, each with Lunr's score (sums taken in another order may differ in the last bits)…
      assert.deepEqual(actual.map((r) => r.ref).sort(), expected.map((r) => r.ref).sort(), `answers differ for ${label}`);
      const lunrResult = new Map(expected.map((r) => [r.ref, r]));
      // …and in Lunr's order, but for answers whose scores are equal to those last bits.
      actual.forEach((r, i) => {
        assert.ok(
          r.ref === expected[i].ref || Math.abs(r.score - expected[i].score) < 1e-9,
          `order differs at ${i} for ${label}`,
        );
        const theirs = lunrResult.get(r.ref) as lunr.Index.Result;
        assert.ok(Math.abs(r.score - theirs.score) < 1e-9, `score of ${r.ref} for ${label}`);
        const metadata = theirs.matchData.metadata as Record<string, { text?: { position?: Array<[number, number]> } }>;
        const positions = Object.values(metadata).flatMap((m) => m.text?.position ?? []);
        assert.deepEqual(
          [...r.positions].sort((a, b) => a[0] - b[0]),
          positions.sort((a, b) => a[0] - b[0]),
        );
      });
      compared += actual.length;
    }
    assert.ok(compared > 1000, `only ${compared} results compared`);
  });

  it('finds nothing when no word is in the index', () => {
    assert.deepEqual(rank(['zzzzqx', 'qqqqzx'], 10), []);
    assert.deepEqual(rank([], 10), []);
  });
});

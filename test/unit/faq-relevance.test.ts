import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { courtProfileSchema } from '../../src/config/court-profile';
import { loadFaqAnswers } from '../../src/faq/faq-content';
import { createFaqSearch } from '../../src/faq/faq-search';
import { loadSynonyms } from '../../src/faq/search-synonyms';

/**
 * Relevance of the FAQ search box, measured on queries written as filers would type them
 * (typos, half-typed words, questions, plain-language synonyms, stray Lunr syntax).
 * The share of queries whose expected answer is in the top 3 is printed on every run.
 */
interface RelevanceCase {
  query: string;
  expected: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const cases = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'faq-relevance.json'), 'utf8')) as RelevanceCase[];
const TOP = 3;
const MIN_SHARE = 0.9;

describe('FAQ search relevance (search box, top 3)', () => {
  const answers = loadFaqAnswers(path.join(ROOT, 'faq-content'), courtProfileSchema.parse({}));
  const faq = createFaqSearch(answers, loadSynonyms());

  it('the fixture is well formed and names only existing answers', () => {
    assert.ok(cases.length >= 80, `expected at least 80 queries, found ${cases.length}`);
    for (const c of cases) {
      assert.equal(typeof c.query, 'string');
      assert.ok(c.query.trim().length > 0);
      assert.ok(faq.get(c.expected), `"${c.query}" expects unknown answer id "${c.expected}"`);
    }
  });

  it(`finds the expected answer in the top ${TOP} for at least ${MIN_SHARE * 100}% of queries`, () => {
    const misses: string[] = [];
    for (const { query, expected } of cases) {
      const ids = faq.search(query, { mode: 'all', limit: TOP }).map((r) => r.id);
      if (!ids.includes(expected)) misses.push(`  ${JSON.stringify(query)} (want ${expected}) → [${ids.join(', ')}]`);
    }
    const hits = cases.length - misses.length;
    const share = hits / cases.length;
    console.log(`FAQ relevance: ${hits}/${cases.length} queries in top ${TOP} = ${(share * 100).toFixed(1)}%`);
    console.log(
      misses.length > 0 ? `FAQ relevance misses (${misses.length}):\n${misses.join('\n')}` : 'FAQ relevance misses: none',
    );
    assert.ok(share >= MIN_SHARE, `top-${TOP} share ${(share * 100).toFixed(1)}% is below ${MIN_SHARE * 100}%`);
  });

  it('no query in the set throws', () => {
    for (const { query } of cases) {
      assert.doesNotThrow(() => faq.search(query, { mode: 'all', limit: TOP }), `"${query}" threw`);
      assert.doesNotThrow(() => faq.search(query, { mode: 'any', limit: TOP }), `"${query}" threw (mode any)`);
    }
  });
});

import assert from 'node:assert/strict';
import { firstRightRank, isFaqHoldout, relevanceFigures } from '../../src/faq/search-evaluation';

describe('FAQ search evaluation (npm run eval:faq)', () => {
  it('puts about 30% of items in the holdout, each always on the same side', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `item-${i}`);
    const share = ids.filter(isFaqHoldout).length / ids.length;
    assert.ok(share > 0.27 && share < 0.33, `holdout share ${share}`);
    for (const id of ids.slice(0, 200)) assert.equal(isFaqHoldout(id), isFaqHoldout(id));
  });

  it('scores top-1, top-3 and MRR from the rank of the first right answer', () => {
    assert.equal(firstRightRank(['a', 'b', 'c'], ['c', 'x']), 3);
    assert.equal(firstRightRank(['a', 'b'], ['x']), 0);
    assert.deepEqual(relevanceFigures([1, 2, 4, 0]), { count: 4, top1: 0.25, top3: 0.5, mrr: (1 + 0.5 + 0.25) / 4 });
    assert.deepEqual(relevanceFigures([]), { count: 0, top1: 0, top3: 0, mrr: 0 });
  });
});

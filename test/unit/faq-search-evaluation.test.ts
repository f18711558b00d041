import assert from 'node:assert/strict';
import {
  coordinateSearch,
  cvFold,
  firstRightRank,
  isFaqHoldout,
  relevanceFigures,
  type TunedParameter,
} from '../../src/faq/search-evaluation';

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

  it('puts each tune item in one cross-validation fold, always the same, the folds about even', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `item-${i}`);
    const sizes = [0, 0, 0, 0, 0];
    for (const id of ids) {
      const fold = cvFold(id, 5);
      assert.equal(cvFold(id, 5), fold);
      sizes[fold] += 1;
    }
    for (const size of sizes) assert.ok(size > 340 && size < 460, `fold sizes ${sizes.join(', ')}`);
  });

  it('chooses by coordinate search the value that ranks best on the training items, keeping a tie as it was', () => {
    // Three items; setting `x` puts item i at rank |x − best_i| + 1.
    type Setting = { x: number };
    const x: TunedParameter<Setting> = { name: 'x', values: [0, 1, 2, 3], get: (s) => s.x, set: (_s, v) => ({ x: v }) };
    const ranksOf = (s: Setting) => [2, 2, 0].map((best) => Math.abs(s.x - best) + 1);
    assert.deepEqual(
      coordinateSearch({ x: 1 }, [x], ranksOf, () => true),
      { x: 2 },
    );
    // Trained on the third item alone, 0 wins.
    assert.deepEqual(
      coordinateSearch({ x: 1 }, [x], ranksOf, (i) => i === 2),
      { x: 0 },
    );
    // No value is better than the start on an item whose rank never changes.
    assert.deepEqual(
      coordinateSearch(
        { x: 1 },
        [x],
        () => [1],
        () => true,
      ),
      { x: 1 },
    );
  });
});

import assert from 'node:assert/strict';
import { groupCommit } from '../../src/db/group-commit';

describe('groupCommit', () => {
  it('writes a lone call at once and groups the calls that arrive while a write is in flight', async () => {
    const batches: number[][] = [];
    const write = groupCommit(async (take: () => number[]) => {
      const items = take();
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => write(n)));
    assert.deepEqual(results, [10, 20, 30, 40]);
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
  });

  it('fails only the bad item when a batch fails, and writes the others', async () => {
    const write = groupCommit(async (take: () => string[]) => {
      const items = take();
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (items.includes('bad')) throw new Error('constraint failed');
      return items.map((s) => s.toUpperCase());
    });
    const settled = await Promise.allSettled(['first', 'a', 'bad', 'b'].map((s) => write(s)));
    assert.deepEqual(
      settled.map((r) => (r.status === 'fulfilled' ? r.value : `rejected: ${(r.reason as Error).message}`)),
      ['FIRST', 'A', 'rejected: constraint failed', 'B'],
    );
  });

  it('takes into the batch the calls that arrive while the transaction opens', async () => {
    const batches: number[][] = [];
    let opened = () => {};
    const write = groupCommit(async (take: () => number[]) => {
      // The transaction takes a moment to open; calls made meanwhile join this batch.
      await new Promise<void>((resolve) => (opened = resolve));
      const items = take();
      batches.push(items);
      return items;
    });
    const first = write(1);
    const more = [write(2), write(3)];
    opened();
    await Promise.all([first, ...more]);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  it('never puts more than maxBatch items in one write', async () => {
    const sizes: number[] = [];
    const write = groupCommit(async (take: () => number[]) => {
      const items = take();
      sizes.push(items.length);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return items;
    }, 3);
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(i)));
    assert.ok(Math.max(...sizes) <= 3);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      10,
    );
  });
});

describe('groupCommit when the transaction cannot even open', () => {
  it('fails the waiting calls instead of leaving them waiting for ever', async () => {
    const write = groupCommit(async () => {
      throw new Error('no database connection');
    });
    const settled = await Promise.allSettled([write(1), write(2)]);
    assert.deepEqual(
      settled.map((r) => r.status),
      ['rejected', 'rejected'],
    );
  });
});

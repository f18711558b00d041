/**
 * Group commit: calls that arrive while a write is in flight are written together by the next call
 * of `writeMany`, in one transaction. A commit waits for the disk (and SQLite has a single writer),
 * so committing ten tickets together costs little more than committing one: without it, intake falls
 * well below its floor beside a bare insert. A lone call is written at once, without waiting.
 *
 * `writeMany` is given `take`, which hands over the waiting items: call it once the transaction is
 * open, so that calls arriving while it opened ride along instead of waiting for the next one.
 * It must return one result per item taken, in order. When a batch fails, its items are retried one
 * by one so that a single bad item fails alone.
 */
export function groupCommit<I, O>(writeMany: (take: () => I[]) => Promise<O[]>, maxBatch = 64): (item: I) => Promise<O> {
  type Pending = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };
  const queue: Pending[] = [];
  let writing = false;

  async function writeAlone(pending: Pending): Promise<void> {
    try {
      pending.resolve((await writeMany(() => [pending.item]))[0]);
    } catch (error) {
      pending.reject(error);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      let batch: Pending[] | undefined;
      const take = () => (batch ??= queue.splice(0, maxBatch)).map((p) => p.item);
      try {
        const results = await writeMany(take);
        batch?.forEach((p, i) => p.resolve(results[i]));
      } catch (error) {
        // Failed before taking its batch (no connection, say): the waiting items fail with it rather
        // than wait for ever.
        batch ??= queue.splice(0, maxBatch);
        if (batch.length === 1) batch[0].reject(error);
        else for (const pending of batch) await writeAlone(pending);
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

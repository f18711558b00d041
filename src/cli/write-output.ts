import { once } from 'node:events';

/**
 * Writes a command's data to standard output and, when the reader is slower than the command (a pipe
 * into a slow consumer), waits until it has caught up, so that a large export does not pile up in
 * memory. Rejects when standard output fails or closes (the reader went away).
 */
export async function writeOutput(
  text: string,
  out: NodeJS.WritableStream & { destroyed?: boolean } = process.stdout,
): Promise<void> {
  if (out.write(text)) return;
  if (out.destroyed) throw new Error('Standard output is closed.');
  const waiting = new AbortController();
  try {
    // once() rejects on 'error'; 'close' before 'drain' means the reader is gone. Race handles the
    // loser's rejection when the wait is aborted below.
    await Promise.race([
      once(out, 'drain', { signal: waiting.signal }),
      once(out, 'close', { signal: waiting.signal }).then(() => {
        throw new Error('Standard output closed before everything was written.');
      }),
    ]);
  } finally {
    waiting.abort();
  }
}

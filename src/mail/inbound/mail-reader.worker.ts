/**
 * The mail reader's worker thread: reads the lots it is sent one after another (never two expanded
 * at once, so the one that exhausts memory is the one being read) and answers with the outcomes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { warmUpIntake } from '../../policy/intake-policy';
import type { ScopeRules } from '../../policy/scope-guard';
import { asBuffer, readAll } from './mail-reader';

// The scope rules, when given, come compiled (regular expressions survive the copy to this thread).
const { ownAddresses, rules } = workerData as { ownAddresses: string[]; rules?: ScopeRules };
if (rules) warmUpIntake(rules);
let tail = Promise.resolve();

parentPort?.on('message', (job: { id: number; raws: Uint8Array[] }) => {
  const raws = job.raws.map(asBuffer);
  tail = tail.then(async () => parentPort?.postMessage({ id: job.id, outcomes: await readAll(raws, ownAddresses, rules) }));
});
// Loaded: from now on, a worker that stops was stopped by what it was reading.
parentPort?.postMessage({ ready: true });

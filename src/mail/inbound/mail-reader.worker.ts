/** The mail reader's worker thread: reads the raw messages it is sent and answers with the outcomes. */
import { parentPort, workerData } from 'node:worker_threads';
import { readAll } from './mail-reader';

const { ownAddresses } = workerData as { ownAddresses: string[] };

parentPort?.on('message', (job: { id: number; raws: Uint8Array[] }) => {
  const raws = job.raws.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  void readAll(raws, ownAddresses).then((outcomes) => parentPort?.postMessage({ id: job.id, outcomes }));
});

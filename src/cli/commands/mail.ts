import { readFileSync } from 'node:fs';
import type { Config } from '../../config';
import { migrateLatest, type Db } from '../../db/knex';
import { createServices, type Services } from '../../services';
import { ticketReferences } from '../../mail/staff-mail.repository';
import { cliLog } from '../cli-log';
import { startProgress } from '../progress';
import { writeOutput } from '../write-output';

const services = (config: Config, db: Db): Services => createServices({ config, db, logger: cliLog() });

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFileSync(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `mail:import FILE…` (or `-` for stdin): raw messages through the same intake as IMAP; one JSON line each. */
export async function mailImport(config: Config, db: Db, files: string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('Give one or more files of raw mail, or - to read one message from standard input.\n');
    return 2;
  }
  await migrateLatest(db);
  const s = services(config, db);
  await s.faq.fresh(); // acknowledgements suggest FAQ answers
  const progress = startProgress({ label: 'Importing mail', total: files.length });
  let code = 0;
  let imported = 0;
  try {
    for (const file of files) {
      let raw: Buffer;
      try {
        raw = await readInput(file);
      } catch (error) {
        progress.note(`${file}: ${(error as Error).message}`);
        progress.tick();
        code = 1;
        continue;
      }
      const [id] = await s.mail.intake.store([{ raw, source: 'import' }]);
      const [outcome] = await s.mail.intake.processPending([id]);
      const line = outcome ? { file, ...(await describeOutcome(db, outcome)) } : { file, id, status: 'duplicate' };
      await writeOutput(`${JSON.stringify(line)}\n`);
      imported += 1;
      progress.tick();
    }
    progress.stop(`Imported ${imported.toLocaleString('en-US')} of ${files.length.toLocaleString('en-US')} files`);
    const delivered = await s.mail.sender?.deliverDue();
    if (delivered && delivered.failed > 0)
      process.stderr.write(`${delivered.failed} outgoing message(s) will be retried by the server.\n`);
    return code;
  } finally {
    progress.stop();
    await s.close();
  }
}

async function describeOutcome(db: Db, outcome: Awaited<ReturnType<Services['mail']['intake']['processPending']>>[number]) {
  if (outcome.status === 'quarantined') return outcome;
  if (outcome.ticketId === null) return outcome;
  const references = await ticketReferences(db, [outcome.ticketId]);
  return { ...outcome, reference: references.get(outcome.ticketId) };
}

/** `mail:inspect FILE…`: what intake would do with each message, as JSON lines; nothing is stored. */
export async function mailInspect(config: Config, db: Db, files: string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('Give one or more files of raw mail, or - to read one message from standard input.\n');
    return 2;
  }
  const s = services(config, db);
  let code = 0;
  try {
    for (const file of files) {
      try {
        const raw = await readInput(file);
        process.stdout.write(`${JSON.stringify({ file, ...(await s.mail.intake.inspect(raw)) })}\n`);
      } catch (error) {
        process.stderr.write(`${file}: ${(error as Error).message}\n`);
        code = 1;
      }
    }
    return code;
  } finally {
    await s.close();
  }
}

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { simpleParser } from 'mailparser';
import type { ScopeRules } from '../../policy/scope-guard';
import type { IntakeAssessment } from '../../tickets/intake-assessment';
import { assessEmailRequest } from './email-request';
import { headersAsUtf8 } from './header-charset';
import { PARSE_OPTIONS, readMessage, type MessageReading } from './read-message';

/** An attachment as intake stores or refuses it. */
export interface MailAttachment {
  filename: string | undefined;
  contentType: string;
  size: number;
  content: Buffer;
}

/** What intake keeps of a parsed message: the reading, the attachments, and the From and Subject as written. */
export interface ReadMail {
  reading: MessageReading;
  attachments: MailAttachment[];
  /** The first From address as written, even one intake cannot answer (recorded on the stored row). */
  fromAddress: string | null;
  subject: string | null;
  /** For a message that starts a new ticket, when the reader was given the scope rules: see email-request.ts. */
  assessed?: IntakeAssessment;
}

/** A message read, or why it could not be. */
export type ReadOutcome = { ok: true; mail: ReadMail } | { ok: false; error: string };

/** Parses a raw message and reads it (and assesses a new request, given the rules); the parsed form itself is not kept. */
export async function readRaw(raw: Buffer, ownAddresses: string[], rules?: ScopeRules): Promise<ReadMail> {
  const mail = await simpleParser(headersAsUtf8(raw), PARSE_OPTIONS);
  const reading = readMessage(mail, ownAddresses);
  return {
    reading,
    assessed: rules ? assessEmailRequest(rules, reading, mail.attachments.length) : undefined,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      content: a.content,
    })),
    fromAddress: mail.from?.value[0]?.address ?? null,
    subject: mail.subject ?? null,
  };
}

/** Reads messages one at a time (a batch of large messages is never all expanded at once). */
export async function readAll(raws: Buffer[], ownAddresses: string[], rules?: ScopeRules): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for (const raw of raws) {
    try {
      out.push({ ok: true, mail: await readRaw(raw, ownAddresses, rules) });
    } catch (error) {
      out.push({ ok: false, error: `The message could not be read: ${(error as Error).message}` });
    }
  }
  return out;
}

/** The reader failed for a reason of its own (its worker could not start): nothing is wrong with the messages. */
export class ReaderFailed extends Error {}

/** The reader was closed while it still had work. */
export class ReaderClosed extends ReaderFailed {}

/** Messages being read. */
export interface ReadJob {
  /** Resolves with one outcome per message; rejects only when the reader itself failed. */
  finish(): Promise<ReadOutcome[]>;
}

/** Reads raw messages for intake. */
export interface MailReader {
  /** Starts reading (in the background, where the reader has a worker). */
  start(raws: Buffer[]): ReadJob;
  /** start(raws).finish() */
  read(raws: Buffer[]): Promise<ReadOutcome[]>;
  /**
   * Gets ready ahead of the first read (a worker loads its modules and warms up meanwhile); resolves
   * once it is ready, never rejects (a reader that cannot start says so when asked to read).
   */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Reads on the calling thread, when finished. */
export function inlineReader(ownAddresses: string[]): MailReader {
  const start = (raws: Buffer[]): ReadJob => {
    let done: Promise<ReadOutcome[]> | null = null;
    return { finish: () => (done ??= readAll(raws, ownAddresses)) };
  };
  return { start, read: (raws) => start(raws).finish(), warm: async () => undefined, close: async () => undefined };
}

// A worker with nothing to do is ended after this long; the next read starts another.
const WORKER_IDLE_MS = 5 * 60_000;
// A message that needs more memory than this to parse ends the worker, not the helpdesk.
const WORKER_HEAP_MB = 1024;
// Messages go to the worker this many at a time, two lots ahead, so it never waits between lots.
const CHUNK = 25;
const IN_FLIGHT = 2;

interface JobState {
  outcomes: ReadOutcome[];
  left: number;
  failed: boolean;
  done: Promise<ReadOutcome[]>;
  resolve(outcomes: ReadOutcome[]): void;
  reject(error: Error): void;
}

interface Chunk {
  id: number;
  job: JobState;
  at: number;
  raws: Buffer[];
}

/** Buffers cross between threads as plain Uint8Arrays. */
export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Reads in a worker thread, so parsing (the costliest step of intake) runs beside the database work
 * instead of before it, and a message that exhausts memory while parsing ends the worker, not the
 * helpdesk. Lots are read in the order given, all of them in the worker: reading some on the
 * caller's thread too was tried, and cost more (both threads then compile the parser) than it gained.
 * A worker that stops fails the job whose lot it was reading; the other lots go to a new worker. The
 * worker never keeps the process alive when it has nothing to do.
 */
export function workerReader(ownAddresses: string[], options: { heapMb?: number; scopeRules?: ScopeRules } = {}): MailReader {
  const rules = options.scopeRules;
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  const queued: Chunk[] = [];
  const sent = new Map<number, Chunk>();
  let idleTimer: NodeJS.Timeout | null = null;
  // Resolves when the current worker has warmed up, or has stopped trying; until then it keeps the
  // process alive, so that a caller waiting for it is not left with nothing to wait on.
  let warmed: Promise<void> = Promise.resolve();
  let warming = false;

  function fail(job: JobState, error: Error) {
    job.failed = true;
    job.reject(error);
  }

  const failAll = (error: Error) => {
    for (const chunk of [...sent.values(), ...queued]) fail(chunk.job, error);
    sent.clear();
    queued.length = 0;
  };

  function complete(chunk: Chunk, outcomes: ReadOutcome[]) {
    outcomes.forEach((o, i) => (chunk.job.outcomes[chunk.at + i] = o));
    chunk.job.left -= chunk.raws.length;
    if (chunk.job.left === 0) chunk.job.resolve(chunk.job.outcomes);
  }

  function pump() {
    while (worker && sent.size < IN_FLIGHT && queued.length > 0) {
      const chunk = queued.shift() as Chunk;
      sent.set(chunk.id, chunk);
      worker.postMessage({ id: chunk.id, raws: chunk.raws });
    }
    settle();
  }

  function launch(): Worker {
    if (worker) return worker;
    // The sources run under tsx (development) or compiled from dist/; the worker loads the same kind.
    const file = path.join(__dirname, `mail-reader.worker${path.extname(__filename)}`);
    const code = [
      `const file = ${JSON.stringify(file)};`,
      `if (file.endsWith('.ts')) require(require.resolve('tsx/cjs', { paths: [${JSON.stringify(__dirname)}] }));`,
      'require(file);',
    ].join('\n');
    const started = new Worker(code, {
      eval: true,
      workerData: { ownAddresses, rules },
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? WORKER_HEAP_MB },
    });
    let ready = false;
    let resolveWarm!: () => void;
    warmed = new Promise<void>((resolve) => (resolveWarm = resolve));
    warming = true;
    const isWarm = () => {
      if (worker === started) warming = false;
      resolveWarm();
    };
    started.on('message', (reply: { ready: true } | { warm: true } | { id: number; outcomes: ReadOutcome[] }) => {
      if ('ready' in reply) {
        ready = true;
        return;
      }
      if ('warm' in reply) {
        isWarm();
        settle();
        return;
      }
      const chunk = sent.get(reply.id);
      if (!chunk) return;
      sent.delete(reply.id);
      for (const o of reply.outcomes) if (o.ok) for (const a of o.mail.attachments) a.content = asBuffer(a.content as Uint8Array);
      complete(chunk, reply.outcomes);
      pump();
    });
    const gone = (error: Error) => {
      isWarm();
      if (worker !== started) return;
      worker = null;
      if (!ready) {
        // It never loaded: not the fault of any message. The work fails, to be tried again later.
        failAll(new ReaderFailed(`The mail reader could not start: ${error.message}`));
        return;
      }
      // The worker reads its lots in order: the oldest one sent was being read and stopped it. The
      // others go back to the front of the queue, for a new worker.
      const inFlight = [...sent.values()].sort((a, b) => a.id - b.id);
      sent.clear();
      if (inFlight.length > 0) fail(inFlight[0].job, error);
      const again = [...inFlight.slice(1), ...queued].filter((c) => !c.job.failed);
      queued.splice(0, queued.length, ...again);
      if (queued.length > 0) launch();
      pump();
    };
    started.on('error', (error) => gone(new Error(`The mail reader stopped: ${error.message}`)));
    started.on('exit', (code) => gone(new Error(`The mail reader stopped (exit code ${code}).`)));
    worker = started;
    settle();
    return started;
  }

  /** Busy: the worker keeps the process alive. Idle: it does not, and ends after a while. */
  function settle() {
    if (!worker) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (sent.size > 0 || queued.length > 0 || warming) {
      worker.ref();
      return;
    }
    worker.unref();
    const idle = worker;
    idleTimer = setTimeout(() => {
      if (worker === idle && sent.size === 0 && queued.length === 0) {
        worker = null;
        void idle.terminate();
      }
    }, WORKER_IDLE_MS);
    idleTimer.unref();
  }

  function start(raws: Buffer[]): ReadJob {
    if (raws.length === 0) return { finish: async () => [] };
    if (closed) return { finish: () => Promise.reject(new ReaderClosed('The mail reader was closed.')) };
    launch();
    let resolve!: (outcomes: ReadOutcome[]) => void;
    let reject!: (error: Error) => void;
    const done = new Promise<ReadOutcome[]>((res, rej) => ((resolve = res), (reject = rej)));
    // A job nobody has asked for yet may fail (its worker died): that is reported when it is finished.
    done.catch(() => undefined);
    const job: JobState = {
      outcomes: new Array<ReadOutcome>(raws.length),
      left: raws.length,
      failed: false,
      done,
      resolve,
      reject,
    };
    for (let at = 0; at < raws.length; at += CHUNK) queued.push({ id: nextId++, job, at, raws: raws.slice(at, at + CHUNK) });
    pump();
    return { finish: () => job.done };
  }

  return {
    start,
    read: (raws) => start(raws).finish(),
    warm() {
      if (!closed) launch();
      return warmed;
    },
    async close() {
      closed = true;
      const current = worker;
      worker = null;
      if (idleTimer) clearTimeout(idleTimer);
      failAll(new ReaderClosed('The mail reader was closed.'));
      await current?.terminate();
    },
  };
}

import { ImapFlow } from 'imapflow';
import type { Db } from '../../db/knex';
import type { Logger } from '../../logger';
import { getCheckpoint, saveCheckpoint, type Checkpoint, type RawArrival } from './inbound-mail.repository';
import type { MailIntake, ReadAhead } from './mail-intake.service';

export interface ImapSettings {
  host: string;
  port?: number;
  user: string;
  password: string;
  /** true: TLS required (implicit on 993, STARTTLS elsewhere); false: plain, for a server on loopback. */
  tls: boolean;
  mailbox: string;
}

export interface PollResult {
  fetched: number;
  processed: number;
  quarantined: number;
}

/** Told how far a pass has got (for `mail:poll --once` on a terminal): messages found, then done. */
export interface PassProgress {
  found(messages: number): void;
  processed(messages: number): void;
}

// Messages fetched and committed per round trip: large enough to be quick, small enough that a
// crash repeats little work.
const BATCH = 100;
// Batches fetched and handed to the reader before the one being processed is done: enough that the
// reader always has the next one to read.
const READ_AHEAD = 2;
// …unless they are large: past this many bytes waiting, the oldest is stored before more is fetched.
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/** An IMAP client for the helpdesk mailbox. Certificates are always checked. */
export function imapClient(settings: ImapSettings, log: Logger | false): ImapFlow {
  const port = settings.port ?? (settings.tls ? 993 : 143);
  return new ImapFlow({
    host: settings.host,
    port,
    secure: settings.tls && port === 993,
    doSTARTTLS: settings.tls && port !== 993 ? true : settings.tls ? undefined : false,
    auth: { user: settings.user, pass: settings.password },
    // imapflow logs every command at debug; ours go to the mail area of the log.
    logger: log === false ? false : (log.child({ area: 'imap' }, { level: 'warn' }) as never),
    disableAutoIdle: true,
  });
}

/**
 * One pass over the mailbox: every message above the checkpoint, read or unread, is fetched, stored
 * and processed, then marked \Seen, then the checkpoint moves. Each step happens only after the one
 * before it is committed, so a crash anywhere repeats work (which the Message-ID key makes harmless)
 * and never skips a message.
 */
export async function pollMailbox(
  client: ImapFlow,
  mailbox: string,
  db: Db,
  intake: MailIntake,
  log: Logger,
  /** Asked before each batch is fetched and stored: once true, the pass finishes the batch under way and ends. */
  stopping: () => boolean = () => false,
  progress?: PassProgress,
): Promise<PollResult> {
  const result: PollResult = { fetched: 0, processed: 0, quarantined: 0 };
  // Left from an import, or from a crash between storing and processing.
  const leftOver = await intake.processPending();
  for (const o of leftOver) result[o.status] += 1;
  progress?.processed(leftOver.length);
  const lock = await client.getMailboxLock(mailbox);
  try {
    const opened = client.mailbox;
    if (!opened) throw new Error(`The mailbox ${mailbox} could not be opened.`);
    const uidValidity = String(opened.uidValidity);
    const checkpoint = await getCheckpoint(db, mailbox);
    const lastUid = checkpoint?.uidValidity === uidValidity ? checkpoint.lastUid : 0;
    if (checkpoint && checkpoint.uidValidity !== uidValidity)
      log.warn(
        { mailbox, was: checkpoint.uidValidity, now: uidValidity },
        'UIDVALIDITY changed: reading the whole mailbox again (copies already stored are skipped)',
      );
    // "N:*" always includes the highest UID, even below N: filter.
    const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
    const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
    progress?.found(uids.length);
    // The last batch processed and flagged. Its checkpoint is written with a later batch's raw
    // messages (one commit fewer per batch); until then a restart reads it again, which the
    // Message-ID key makes harmless.
    let unsaved: Checkpoint | null = null;
    // Batches overlap: while one is processed (database), the next is fetched and read (the reader's
    // thread). Each batch is stored and processed only after the one before it is done, in UID order.
    let processing = null as Promise<void> | null;
    // \Seen follows each batch's commit, and its checkpoint follows \Seen, batch after batch; the next
    // batch is stored and processed meanwhile (the server answers in order).
    let flagged: Promise<void> = Promise.resolve();
    let flagFailure: unknown = null;
    const finish = async (batch: number[], ids: number[], ahead: ReadAhead) => {
      for (const o of await intake.processPending(ids, ahead)) result[o.status] += 1;
      progress?.processed(batch.length);
      flagged = flagged.then(async () => {
        // imapflow answers false, rather than throwing, when the server refuses the flag.
        if (!(await client.messageFlagsAdd(batch.join(','), ['\\Seen'], { uid: true })))
          throw new Error(`The mail server did not mark messages ${batch[0]}-${batch[batch.length - 1]} as read.`);
        unsaved = { uidValidity, lastUid: batch[batch.length - 1] };
      });
      flagged.catch((error: unknown) => (flagFailure ??= error));
    };
    // Fetched and being read, not yet stored: the reader works this many batches ahead.
    const fetched: Array<{ batch: number[]; arrivals: RawArrival[]; ahead: ReadAhead }> = [];
    const storeOldest = async () => {
      const { batch, arrivals, ahead } = fetched.shift() as (typeof fetched)[number];
      // Stored only once the batch before is done: storing counts a start of processing, which a
      // crash in that batch must not charge to this one.
      if (processing) await processing;
      if (flagFailure) throw flagFailure;
      const previous: Checkpoint | null = unsaved;
      const ids = await intake.store(
        arrivals,
        previous ? (trx) => saveCheckpoint(trx, mailbox, previous, new Date().toISOString()) : undefined,
      );
      processing = finish(batch, ids, ahead);
      // Awaited on the next turn (or below); this only keeps a failure from being reported twice.
      processing.catch(() => undefined);
    };
    try {
      for (let i = 0; i < uids.length && !stopping(); i += BATCH) {
        const batch = uids.slice(i, i + BATCH);
        const arrivals: RawArrival[] = [];
        for await (const message of client.fetch(batch.join(','), { uid: true, source: true }, { uid: true })) {
          if (message.source) arrivals.push({ raw: message.source, source: 'imap', mailbox, uid: message.uid });
        }
        arrivals.sort((a, b) => (a.uid as number) - (b.uid as number));
        result.fetched += arrivals.length;
        // Reading only parses in memory; nothing is decided on a message before it is stored.
        fetched.push({ batch, arrivals, ahead: intake.readAhead(arrivals.map((a) => a.raw)) });
        const waiting = fetched.reduce((sum, f) => sum + f.ahead.raws.reduce((n, raw) => n + raw.length, 0), 0);
        if (stopping()) break;
        if (fetched.length > READ_AHEAD || (fetched.length > 1 && waiting > READ_AHEAD_BYTES)) await storeOldest();
      }
      // Stopping: batches fetched but not stored stay unseen, above the checkpoint, for the next pass.
      while (fetched.length > 0 && !stopping()) await storeOldest();
      if (processing) await processing;
      await flagged;
    } finally {
      // A failure leaves no batch running behind the lock's release.
      await processing?.catch(() => undefined);
      await flagged.catch(() => undefined);
    }
    // The last batch's checkpoint; an empty mailbox still records its UIDVALIDITY, so a later change is noticed.
    const last = unsaved as Checkpoint | null;
    if (last || checkpoint?.uidValidity !== uidValidity)
      await saveCheckpoint(db, mailbox, last ?? { uidValidity, lastUid }, new Date().toISOString());
  } finally {
    lock.release();
  }
  return result;
}

/** Connects, makes one pass, logs out: `mail:poll --once`. */
export async function pollOnce(
  settings: ImapSettings,
  db: Db,
  intake: MailIntake,
  log: Logger,
  progress?: PassProgress,
): Promise<PollResult> {
  const client = imapClient(settings, log);
  void intake.warm();
  await client.connect();
  try {
    return await pollMailbox(client, settings.mailbox, db, intake, log, undefined, progress);
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/**
 * Keeps intake running: a pass at once, then IDLE so new mail starts a pass as it arrives, and a
 * pass every `pollMs` in any case (servers without IDLE, notifications lost). A dropped connection is
 * retried with a growing pause. `afterPass` runs after each pass (the outbox sends what it queued).
 */
export function watchMailbox(
  settings: ImapSettings,
  db: Db,
  intake: MailIntake,
  log: Logger,
  options: {
    pollMs?: number;
    afterPass?: () => Promise<unknown>;
    /** Told how each pass (or connection attempt) ended, for GET /readyz. */
    health?: { passSucceeded(): void; passFailed(error: unknown): void };
    /** How long stop() lets a pass under way finish its batch before logging out under it. */
    stopGraceMs?: number;
  } = {},
): { stop(): Promise<void> } {
  const pollMs = options.pollMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  // Set by news that comes while a pass runs, so the pause after it does not sleep through it.
  let woken = false;
  const nudge = () => {
    woken = true;
    wake?.();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        woken = false;
        resolve();
      };
    });

  async function session(): Promise<void> {
    const current = imapClient(settings, log);
    client = current;
    // New mail ends the pause at once; otherwise a pass runs every pollMs.
    current.on('exists', nudge);
    current.on('close', nudge);
    void intake.warm();
    await current.connect();
    await current.mailboxOpen(settings.mailbox);
    while (!stopped && current.usable) {
      const result = await pollMailbox(current, settings.mailbox, db, intake, log, () => stopped);
      options.health?.passSucceeded();
      if (result.fetched > 0) log.info(result, 'mail intake pass');
      await options.afterPass?.();
      // IDLE until the server reports new mail or the polling interval ends (the next command ends IDLE).
      void current.idle().catch(() => undefined);
      await pause(pollMs);
    }
  }

  const running = (async () => {
    let backoff = 1000;
    while (!stopped) {
      try {
        await session();
        backoff = 1000;
      } catch (error) {
        if (stopped) break;
        options.health?.passFailed(error);
        log.error({ err: error }, `mail intake stopped; reconnecting in ${backoff / 1000} s`);
      }
      if (!stopped) await pause(backoff);
      backoff = Math.min(backoff * 2, 5 * 60_000);
    }
  })();

  return {
    /**
     * Takes no more mail: a pass under way finishes the batch it is storing (processed, \Seen, checkpoint)
     * and fetches no more; after stopGraceMs the connection is closed under it (what it stored is kept,
     * what it did not mark \Seen is read again next time, and the Message-ID key makes that harmless).
     */
    async stop() {
      stopped = true;
      nudge();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, stopGraceMs)));
      // A session waiting (IDLE) ends at once; one in a pass ends when the pass does.
      const ended = await Promise.race([running.then(() => true), grace.then(() => false)]);
      clearTimeout(timer);
      if (ended) await client?.logout().catch(() => undefined);
      else client?.close();
      await running;
    },
  };
}

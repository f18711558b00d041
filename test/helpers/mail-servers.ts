// Real mail servers on loopback for the tests: a private Dovecot (IMAP) and an smtp-server receiver (SMTP).
// Each instance has its own temp dir and port, so test runs (and a system Dovecot) never share state.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

const execFileP = promisify(execFile);

const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';
const DOVEADM = process.env.DOVEADM_PATH ?? '/usr/bin/doveadm';
const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 10_000;

/** Finds a free TCP port on loopback by listening on port 0 and closing again. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// Dovecot
// ---------------------------------------------------------------------------------------------------------------

export interface DovecotMessage {
  uid: number;
  flags: string[];
  messageId?: string;
}

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temp dir holding config, mail, sockets and dovecot.log (removed by stop()). */
  dir: string;
  /** The Dovecot version in use, e.g. "2.3.19.1". */
  version: string;
  /** Environment variables pointing the app's IMAP poller at this server. */
  mailEnv(): Record<string, string>;
  /** APPENDs one message and returns its UID. */
  append(raw: string | Buffer, opts?: { mailbox?: string; flags?: string[] }): Promise<number>;
  /** APPENDs many messages over one connection (MULTIAPPEND), UIDs in the order given. */
  appendMany(raws: Array<string | Buffer>, mailbox?: string): Promise<void>;
  /** The messages of a mailbox in UID order, with flags (sorted, without \Recent) and Message-ID. */
  listMessages(mailbox?: string): Promise<DovecotMessage[]>;
  /** Creates a mailbox (folder). */
  createMailbox(name: string): Promise<void>;
  /** The mailbox's UIDVALIDITY, as imapflow reports it (bigint). */
  uidValidity(mailbox?: string): Promise<bigint>;
  /** Empties a mailbox and gives it a new UIDVALIDITY; returns the new value. */
  recreateMailbox(name: string): Promise<bigint>;
  /** The last lines of dovecot.log, for failure messages. */
  logTail(lines?: number): string;
  /** Stops Dovecot and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

interface Version {
  text: string;
  major: number;
  minor: number;
}

let versionPromise: Promise<Version> | undefined;

/** `dovecot --version`, parsed; cached because it never changes during a run. */
function dovecotVersion(): Promise<Version> {
  versionPromise ??= execFileP(DOVECOT, ['--version']).then(({ stdout }) => {
    const text = stdout.trim().split(/\s+/)[0];
    const [major, minor] = text.split('.').map((n) => Number.parseInt(n, 10));
    return { text, major, minor };
  });
  return versionPromise;
}

/** uid and gid numbers of nobody:nogroup, for chown (Node has no getpwnam). */
function nobodyIds(): { uid: number; gid: number } {
  const find = (file: string, name: string): number | undefined => {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    return line ? Number(line.split(':')[2]) : undefined;
  };
  return { uid: find('/etc/passwd', 'nobody') ?? 65534, gid: find('/etc/group', 'nogroup') ?? 65534 };
}

interface ConfigInput {
  dir: string;
  port: number;
  usersFile: string;
  version: Version;
}

/**
 * dovecot.conf for one private instance. Dovecot 2.4 renamed many settings and rejects 2.3 files (and the
 * other way round), so the syntax follows the installed version. Debian 12 ships 2.3; Debian 13 ships 2.4.
 */
function dovecotConfig({ dir, port, usersFile, version }: ConfigInput): string {
  const v24 = version.major > 2 || (version.major === 2 && version.minor >= 4);
  const common = [
    'protocols = imap',
    `listen = ${HOST}`,
    // Private run/state/log locations: the system instance (if apt started one) uses /run/dovecot and
    // /var/lib/dovecot, and parallel test runs each have their own temp dir, so no sockets or pid files clash.
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    // Plain IMAP on loopback: no certificates to generate, and the app is configured with IMAP_TLS=false.
    'ssl = no',
    'auth_mechanisms = plain login',
    // A wrong password otherwise stalls 2 s (more on repeats): too slow for tests of the app's login errors.
    'auth_failure_delay = 0',
    // We run as root; Dovecot refuses to run login processes as root, so name its usual unprivileged users.
    'default_login_user = dovenull',
    'default_internal_user = dovecot',
    // Test mail is throwaway: no need to wait for each saved message to reach the disk.
    'mail_fsync = never',
    'namespace inbox {',
    '  inbox = yes',
    '}',
  ];
  // chroot needs CAP_SYS_CHROOT, which some containers drop; nothing here needs the isolation.
  const unchrooted = v24 ? [] : ['ipc', 'old-stats', 'imap-urlauth-login'];
  const services = [
    'service imap-login {',
    '  chroot =',
    '  inet_listener imap {',
    `    port = ${port}`,
    '  }',
    // port 0 disables the IMAPS listener: without it Dovecot would also try to bind 993.
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    'service anvil {',
    '  chroot =',
    // 2.3: no growing per-IP delay after failed logins (mode 0 turns the auth-penalty socket off, as documented).
    ...(v24 ? [] : ['  unix_listener anvil-auth-penalty {', '    mode = 0', '  }']),
    '}',
    ...unchrooted.flatMap((s) => [`service ${s} {`, '  chroot =', '}']),
  ];
  if (v24) {
    // Written from the 2.3 -> 2.4 upgrade notes; these lines must come first in a 2.4 file.
    return [
      'dovecot_config_version = 2.4.0',
      'dovecot_storage_version = 2.4.0',
      ...common,
      'auth_allow_cleartext = yes',
      'mail_driver = maildir',
      `mail_path = ${dir}/mail/%{user}`,
      'passdb passwd-file {',
      `  passwd_file_path = ${usersFile}`,
      '}',
      'userdb static {',
      '  fields {',
      '    uid = nobody',
      '    gid = nogroup',
      `    home = ${dir}/home/%{user}`,
      '  }',
      '}',
      ...services,
      '',
    ].join('\n');
  }
  return [
    ...common,
    'disable_plaintext_auth = no',
    // Failed logins are logged with the reason, which the startup error quotes.
    'auth_verbose = yes',
    `mail_location = maildir:${dir}/mail/%u`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN ${usersFile}`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=nobody gid=nogroup home=${dir}/home/%u`,
    '}',
    ...services,
    '',
  ].join('\n');
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// Instances not yet stopped, so a test run that forgets stop() (or dies on an exception) does not leave
// Dovecot masters running in the background: they are daemons and would outlive the test process.
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const r of running) {
      // Best effort only: an exception thrown from an 'exit' handler would replace the run's own outcome.
      try {
        r.child.kill('SIGTERM');
        rmSync(r.dir, { recursive: true, force: true });
      } catch {
        // already gone, or a worker still writing into the dir
      }
    }
  });
}

const USER = 'helpdesk';
const PASSWORD = 'imap-test-password';

interface Started {
  child: ChildProcess;
  dir: string;
  conf: string;
  port: number;
}

/** One attempt: write the config, start the master in the foreground, wait for a LOGIN to work. */
async function launch(version: Version): Promise<Started> {
  // Checked up front because the failure would otherwise be a bare EPERM from chown below.
  if (process.getuid?.() !== 0) {
    throw new Error('startDovecot must run as root: it chowns the mail dir to nobody and Dovecot drops privileges');
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'helpdesk-dovecot-'));
  // mkdtemp makes the dir 0700; the imap (nobody), auth (dovecot) and login (dovenull) processes must traverse it.
  await fs.chmod(dir, 0o755);
  const { uid, gid } = nobodyIds();
  for (const sub of ['mail', 'home', `home/${USER}`]) {
    await fs.mkdir(path.join(dir, sub));
    await fs.chown(path.join(dir, sub), uid, gid);
  }
  const usersFile = path.join(dir, 'users');
  await fs.writeFile(usersFile, `${USER}:{PLAIN}${PASSWORD}\n`, { mode: 0o644 });
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  await fs.writeFile(conf, dovecotConfig({ dir, port, usersFile, version }));

  // -F keeps the master in the foreground as our child: we see at once if it exits (bad config, port taken),
  // and stop() can signal it directly. Its stderr (config errors come before log_path is open) goes to a file.
  const errFd = openSync(path.join(dir, 'stderr.log'), 'a');
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', errFd, errFd] });
  closeSync(errFd);
  // A forgotten stop() must not keep mocha alive; the exit hook ends the master instead.
  child.unref();
  const entry = { child, dir };
  running.add(entry);
  installExitHook();

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: string;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        lastError = `dovecot exited (${child.exitCode ?? child.signalCode})`;
        break;
      }
      const client = newClient(port, USER, PASSWORD);
      try {
        // Bounded by the deadline: a LOGIN that Dovecot keeps waiting (auth process not up) must not overrun it.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('LOGIN got no answer')), Math.max(deadline - Date.now(), 100));
        });
        try {
          await Promise.race([client.connect(), timeout]);
        } finally {
          clearTimeout(timer);
        }
        await client.logout();
        return { child, dir, conf, port };
      } catch (err) {
        client.close();
        // imapflow's message is often just "Command failed"; the server's words are in responseText.
        const e = err as Error & { responseText?: string; code?: string };
        lastError = [e.message, e.responseText, e.code].filter(Boolean).join(': ');
      }
      if (Date.now() > deadline) break;
      await delay(100);
    }
    const log = [tail(path.join(dir, 'stderr.log'), 20), tail(path.join(dir, 'dovecot.log'), 30)].filter(Boolean).join('\n');
    throw new Error(
      `Dovecot ${version.text} did not accept a LOGIN on ${HOST}:${port} within ${STARTUP_TIMEOUT_MS} ms ` +
        `(last error: ${lastError}). Config: ${conf}. Log tail:\n${log || '(empty)'}`,
    );
  } catch (err) {
    await stopChild(child);
    running.delete(entry);
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    throw err;
  }
}

function newClient(port: number, user: string, pass: string): ImapFlow {
  const client = new ImapFlow({
    host: HOST,
    port,
    secure: false,
    // Dovecot with ssl=no offers no STARTTLS; say so rather than let imapflow probe.
    doSTARTTLS: false,
    auth: { user, pass },
    logger: false,
    connectionTimeout: 2000,
    greetingTimeout: 2000,
  });
  // Without a listener an 'error' event (e.g. a refused connection while polling) would crash the process;
  // the same failure also rejects the pending connect()/command, which is where we handle it.
  client.on('error', () => undefined);
  return client;
}

// Messages per MULTIAPPEND command: large enough to amortise Dovecot's per-transaction work, small enough
// that the mailbox lock is not held for long if the app under test polls meanwhile.
const MULTIAPPEND_BATCH = 500;

/**
 * APPENDs messages as one MULTIAPPEND (RFC 3502) command with LITERAL+ literals over a bare socket, which
 * imapflow cannot send. Dovecot then saves the batch in one transaction: on a busy 2-CPU VM, 2,000 small
 * messages took 0.5-3 s this way, against 3-16 s as pipelined imapflow APPENDs and 4-12 s awaiting each one.
 * UIDs follow the order of `raws`. The mailbox name must be ASCII (no modified UTF-7 encoding here).
 */
async function multiAppend(
  port: number,
  user: string,
  pass: string,
  mailbox: string,
  raws: Array<string | Buffer>,
): Promise<void> {
  if (raws.length === 0) return;
  if (!/^[\x20-\x7e]+$/.test(mailbox)) throw new Error(`appendMany needs an ASCII mailbox name, got ${JSON.stringify(mailbox)}`);
  const quote = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const socket = net.connect(port, HOST);
  socket.setTimeout(60_000);
  // Response lines, read as they come; none of the responses we wait for carries a literal.
  let buffered = '';
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
    }
    wake?.();
  });
  const fail = (err: Error): void => {
    failure ??= err;
    wake?.();
  };
  socket.on('error', fail);
  socket.on('timeout', () => fail(new Error('IMAP MULTIAPPEND timed out')));
  socket.on('close', () => fail(new Error('IMAP connection closed')));

  // Waits for the tagged reply to `tag` (or the greeting for '*') and insists on OK.
  const reply = async (tag: string, what: string): Promise<void> => {
    for (;;) {
      const line = lines.shift();
      if (line === undefined) {
        if (failure) throw new Error(`${what}: ${failure.message}`);
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (!line.startsWith(`${tag} `)) continue;
      if (!line.startsWith(`${tag} OK`)) throw new Error(`${what} failed: ${line}`);
      return;
    }
  };

  try {
    await reply('*', 'IMAP greeting');
    socket.write(`a1 LOGIN ${quote(user)} ${quote(pass)}\r\n`);
    await reply('a1', 'LOGIN');
    const parts: Buffer[] = [Buffer.from(`a2 APPEND ${quote(mailbox)}`)];
    for (const raw of raws) {
      const body = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      // {n+} is a non-synchronising literal (LITERAL+): no waiting for "+ go ahead" between messages.
      parts.push(Buffer.from(` {${body.length}+}\r\n`), body);
    }
    parts.push(Buffer.from('\r\n'));
    socket.write(Buffer.concat(parts));
    await reply('a2', `APPEND of ${raws.length} messages to ${mailbox}`);
    socket.write('a3 LOGOUT\r\n');
    await reply('a3', 'LOGOUT');
  } finally {
    socket.destroy();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGTERM lets the master stop its workers (it takes about a second); SIGKILL only if it hangs.
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

/** Starts a private Dovecot IMAP server on 127.0.0.1 and a free port, with one user and an empty INBOX. */
export async function startDovecot(): Promise<DovecotServer> {
  const version = await dovecotVersion();
  let started: Started | undefined;
  // freePort() closes its socket before Dovecot binds, so a parallel run can take the port in between;
  // then the master exits with "Address already in use" and we try again with a new port.
  for (let attempt = 1; !started; attempt += 1) {
    try {
      started = await launch(version);
    } catch (err) {
      if (attempt >= 3 || !/Address already in use/.test((err as Error).message)) throw err;
    }
  }
  const { child, dir, conf, port } = started;
  let stopped = false;

  async function withClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = newClient(port, USER, PASSWORD);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async function doveadm(args: string[]): Promise<void> {
    await execFileP(DOVEADM, ['-c', conf, ...args]);
  }

  async function uidValidity(mailbox = 'INBOX'): Promise<bigint> {
    const status = await withClient((c) => c.status(mailbox, { uidValidity: true }));
    if (!status || status.uidValidity === undefined) throw new Error(`no UIDVALIDITY for ${mailbox}`);
    return status.uidValidity;
  }

  const server: DovecotServer = {
    host: HOST,
    port,
    user: USER,
    password: PASSWORD,
    dir,
    version: version.text,

    mailEnv() {
      return {
        IMAP_HOST: HOST,
        IMAP_PORT: String(port),
        IMAP_USER: USER,
        IMAP_PASSWORD: PASSWORD,
        IMAP_TLS: 'false',
        IMAP_MAILBOX: 'INBOX',
      };
    },

    async append(raw, opts = {}) {
      const mailbox = opts.mailbox ?? 'INBOX';
      const result = await withClient((c) => c.append(mailbox, raw, opts.flags ?? []));
      // Dovecot has UIDPLUS, so APPENDUID always carries the UID.
      if (!result || result.uid === undefined) throw new Error(`APPEND to ${mailbox} returned no UID`);
      return result.uid;
    },

    async appendMany(raws, mailbox = 'INBOX') {
      for (let i = 0; i < raws.length; i += MULTIAPPEND_BATCH) {
        await multiAppend(port, USER, PASSWORD, mailbox, raws.slice(i, i + MULTIAPPEND_BATCH));
      }
    },

    async listMessages(mailbox = 'INBOX') {
      return withClient(async (c) => {
        const lock = await c.getMailboxLock(mailbox, { readOnly: true });
        try {
          const fetched = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true });
          return fetched
            .map((m) => ({
              uid: m.uid,
              // \Recent belongs to whichever session first sees a message, not to the message; leaving it out
              // keeps the result the same however many sessions have looked.
              flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
              messageId: m.envelope?.messageId,
            }))
            .sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      });
    },

    async createMailbox(name) {
      await withClient((c) => c.mailboxCreate(name));
    },

    uidValidity,

    async recreateMailbox(name) {
      if (name.toUpperCase() === 'INBOX') {
        // IMAP refuses to DELETE INBOX ("INBOX can't be deleted"), so do the equivalent with doveadm:
        // expunge everything, then raise UIDVALIDITY. UIDs carry on from the old UIDNEXT, which IMAP allows.
        const next = (await uidValidity('INBOX')) + 1n;
        await doveadm(['expunge', '-u', USER, 'mailbox', 'INBOX', 'all']);
        await doveadm(['mailbox', 'update', '-u', USER, '--uid-validity', String(next), 'INBOX']);
      } else {
        await withClient(async (c) => {
          const exists = (await c.list()).some((m) => m.path === name);
          if (exists) await c.mailboxDelete(name);
          await c.mailboxCreate(name);
        });
      }
      return uidValidity(name);
    },

    logTail(lines = 30) {
      return tail(path.join(dir, 'dovecot.log'), lines);
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      for (const r of running) if (r.child === child) running.delete(r);
      // Worker processes may still be closing their log lines as the master exits; retry ENOTEMPTY.
      await fs.rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
  return server;
}

// ---------------------------------------------------------------------------------------------------------------
// SMTP receiver
// ---------------------------------------------------------------------------------------------------------------

export interface ReceivedMail {
  /** MAIL FROM address; '' for the null sender <>. */
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
}

export interface SmtpReceiver {
  host: string;
  port: number;
  /** Messages accepted so far, in arrival order (failed DATA commands are not recorded). */
  messages: ReceivedMail[];
  /** Makes the next n DATA commands fail with `responseCode` (451: temporary, so senders retry). */
  failNext(n: number, responseCode?: number): void;
  /** Resolves once at least `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Forgets received messages and pending failures. */
  clear(): void;
  /** Environment variables pointing the app's mailer at this receiver. */
  mailEnv(): Record<string, string>;
  /** Closes the server. */
  stop(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 and a free port that records what it receives. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const waiters: Array<{ count: number; done: () => void }> = [];
  let failuresLeft = 0;
  let failureCode = 451;

  const notify = (): void => {
    for (const w of [...waiters]) {
      if (messages.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    // A receiver on loopback: looking up the client's name would only wait on DNS.
    disableReverseLookup: true,
    authOptional: true,
    // AUTH without TLS is accepted so an app configured with SMTP credentials can also send here.
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    logger: false,
    banner: 'helpdesk test receiver',
    // stop() should not wait the default 30 s for a pooled client connection to go away.
    closeTimeout: 500,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      // Answer only after the whole message is read: replying early would desynchronise the SMTP dialogue.
      stream.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          const kind = failureCode >= 500 ? 'Permanent' : 'Temporary';
          const err = new Error(`${kind} failure injected by the test`) as Error & { responseCode: number };
          err.responseCode = failureCode;
          callback(err);
          return;
        }
        const { mailFrom, rcptTo } = session.envelope;
        messages.push({
          envelopeFrom: mailFrom ? mailFrom.address : '',
          envelopeTo: rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, `Queued as test-${messages.length}`);
        notify();
      });
    },
  });
  // Client resets and similar connection errors are the client's business in these tests; without a
  // listener an 'error' event would crash the test process.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    const listener = server.listen(0, HOST, () => resolve());
    listener.once('error', reject);
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: HOST,
    port,
    messages,
    failNext(n, responseCode = 451) {
      failuresLeft = n;
      failureCode = responseCode;
    },
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`expected ${count} message(s) within ${timeoutMs} ms; received ${messages.length}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    clear() {
      // Emptied in place so a reference to `messages` taken earlier stays live.
      messages.length = 0;
      failuresLeft = 0;
    },
    mailEnv() {
      return { SMTP_HOST: HOST, SMTP_PORT: String(port), SMTP_TLS: 'false' };
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

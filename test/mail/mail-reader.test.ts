import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createMailIntake } from '../../src/mail/inbound/mail-intake.service';
import { inlineReader, ReaderClosed, ReaderFailed, workerReader, type MailReader } from '../../src/mail/inbound/mail-reader';
import { logger } from '../../src/logger';
import { requestWords } from '../../src/mail/inbound/email-request';
import { loadScopeRules } from '../../src/policy/scope-guard';
import { assessIntake } from '../../src/tickets/intake-assessment';
import { buildTestApp, type TestApp } from '../helpers/app';
import { MAIL_FROM, rawMail, testMessageId } from '../helpers/mail-factories';

const OWN = [MAIL_FROM];
// A worker held to a small heap, and a text part that decodes to a string larger than it may hold.
const HEAP_MB = 32;
const HUGE_TEXT = 'x'.repeat(64 * 1024 * 1024);

/** Mail of several kinds: plain, HTML with a script, an attachment, encoded words, a bounce, garbage. */
async function assortedMail(): Promise<Buffer[]> {
  return [
    await rawMail({ subject: 'Cannot log in to file in 3:20-cv-01234-JST' }),
    await rawMail({
      subject: '=?ISO-8859-1?Q?Fran=E7ois_cannot_file?=',
      html: '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:x()">here</a></p>',
    }),
    await rawMail({
      attachments: [{ filename: 'notice.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' }],
    }),
    await rawMail({
      from: 'MAILER-DAEMON@mx.example.com',
      subject: 'Undelivered Mail Returned to Sender',
      headers: { 'Auto-Submitted': 'auto-replied' },
    }),
    Buffer.from('not a mail message at all \u0000\u0001'),
  ];
}

describe('mail reader', function () {
  const readers: MailReader[] = [];
  const worker = (options?: { heapMb?: number }) => {
    const r = workerReader(OWN, options);
    readers.push(r);
    return r;
  };
  after(async () => {
    for (const r of readers) await r.close();
  });

  it('given the scope rules, assesses each message that starts a request as intake would, and no other', async () => {
    const rules = loadScopeRules();
    const raws = [
      await rawMail({ subject: 'Cannot log in', text: 'My login fails in 3:20-cv-01234-JST. Which password do I use?' }),
      await rawMail({ subject: 'My case', text: 'Should I settle or go to trial? What are my chances of winning?' }),
      await rawMail({
        subject: 'Re: [HD-2026-000001] Cannot log in',
        text: 'It works now.',
        inReplyTo: testMessageId(),
      }),
      ...(await assortedMail()).slice(3),
    ];
    const r = workerReader(OWN, { scopeRules: rules });
    readers.push(r);
    const read = await r.read(raws);
    const [plain, advice, reply, bounce, garbage] = read;
    assert.ok(plain.ok && advice.ok && reply.ok && bounce.ok);
    for (const outcome of [plain, advice]) {
      const { reading, attachments } = outcome.mail;
      assert.deepEqual(outcome.mail.assessed, assessIntake(rules, requestWords(reading, attachments.length)));
    }
    assert.equal(plain.mail.assessed?.policy.refusal, null);
    assert.deepEqual(
      plain.mail.assessed?.caseNumbers.map((c) => c.number),
      ['3:20-cv-01234'],
    );
    assert.equal(advice.mail.assessed?.policy.refusal, 'legal_advice');
    // A reply is looked up first, and a bounce is no request: none of them is assessed.
    assert.equal(reply.mail.assessed, undefined);
    assert.equal(bounce.mail.assessed, undefined);
    assert.ok(!garbage.ok || garbage.mail.assessed === undefined, 'mail without a sender is no request');
    // Without the rules, nothing is assessed (intake then assesses on its own thread).
    const [unassessed] = await worker().read(raws.slice(0, 1));
    assert.ok(unassessed.ok);
    assert.equal(unassessed.mail.assessed, undefined);
  });

  it('reads in its worker thread exactly what intake reads on its own thread, attachments as Buffers', async () => {
    const raws = await assortedMail();
    const inWorker = await worker().read(raws);
    const inline = await inlineReader(OWN).read(raws);
    assert.deepEqual(inWorker, inline);
    assert.equal(inWorker.length, raws.length);
    const withAttachment = inWorker[2];
    assert.ok(withAttachment.ok);
    assert.ok(Buffer.isBuffer(withAttachment.mail.attachments[0].content));
    assert.equal(withAttachment.mail.attachments[0].content.toString(), '%PDF-1.4 test');
    const html = inWorker[1];
    assert.ok(html.ok);
    assert.equal(html.mail.reading.subject, 'François cannot file');
    // Kept as received: it is sanitised when a page shows it (tickets.repository listMessages).
    assert.match(html.mail.reading.html ?? '', /<p onclick="steal\(\)">Hello/);
  });

  it('answers jobs in the order given, several at once', async () => {
    const r = worker();
    const subjects = Array.from({ length: 6 }, (_, i) => `Question ${i}`);
    const raws = await Promise.all(subjects.map((subject) => rawMail({ subject })));
    const answers = await Promise.all(raws.map((raw) => r.read([raw])));
    assert.deepEqual(
      answers.map(([o]) => (o.ok ? o.mail.subject : o.error)),
      subjects,
    );
  });

  it('fails the jobs of a worker that runs out of memory, and starts a new worker for the next read', async function () {
    this.timeout(120_000);
    const r = worker({ heapMb: HEAP_MB });
    const huge = await rawMail({ text: HUGE_TEXT });
    await assert.rejects(r.read([huge]), /mail reader stopped/);
    const [after] = await r.read([await rawMail({ subject: 'Still here' })]);
    assert.ok(after.ok && after.mail.subject === 'Still here');
  });

  it('blames only the lot being read when the worker stops: a job waiting behind it is read by the next worker', async function () {
    this.timeout(120_000);
    const r = worker({ heapMb: HEAP_MB });
    const big = r.start([await rawMail({ subject: 'The big one', text: HUGE_TEXT })]);
    const waiting = r.start([await rawMail({ subject: 'Waiting behind it' })]);
    await assert.rejects(big.finish(), /mail reader stopped/);
    const [after] = await waiting.finish();
    assert.ok(after.ok && after.mail.subject === 'Waiting behind it');
  });

  it('keeps the process alive while it warms up, says when it is ready, then lets the process exit (mail:poll on an empty mailbox)', async function () {
    this.timeout(30_000);
    const module = JSON.stringify(require.resolve('../../src/mail/inbound/mail-reader'));
    // Nothing but the warming worker keeps this process alive: if the worker let go early, "warm" would never print.
    const script = `require(${module}).workerReader([]).warm().then(() => process.stdout.write('warm'));`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(out, 'warm');
    assert.equal(code, 0, 'the process exited on its own');
  });

  it("reports ready, rather than waiting for ever, when its worker cannot start; reading then fails as the reader's fault", async function () {
    this.timeout(30_000);
    // Far too little memory to load the parser.
    const r = worker({ heapMb: 1 });
    await r.warm();
    await assert.rejects(r.read([await rawMail()]), (error) => error instanceof ReaderFailed);
  });

  it('is ready at once when it has been closed, starting no worker', async () => {
    const r = worker();
    await r.close();
    const first = await Promise.race([
      r.warm().then(() => 'ready'),
      new Promise((resolve) => setImmediate(() => resolve('still waiting'))),
    ]);
    assert.equal(first, 'ready');
  });

  it('rejects work still waiting when it is closed, as closed, not as a bad message', async () => {
    const r = worker();
    const pending = assert.rejects(r.read([await rawMail()]), (error) => error instanceof ReaderClosed);
    await r.close();
    await pending;
  });

  describe('in intake', function () {
    let t: TestApp;
    beforeEach(async () => {
      t = await buildTestApp({ env: { MAIL_FROM } });
    });
    afterEach(async () => {
      await t.close();
    });

    const intakeWith = (reader: MailReader) =>
      createMailIntake({
        db: t.db,
        tickets: t.services.tickets,
        scopeRules: t.services.scopeRules,
        ownAddresses: OWN,
        log: logger.child({ area: 'mail' }),
        reader,
      });

    it('sets aside the message that stops the reader and processes the others of its batch', async function () {
      this.timeout(120_000);
      const intake = intakeWith(worker({ heapMb: HEAP_MB }));
      const raws = [
        await rawMail({ subject: 'Before the big one' }),
        await rawMail({ subject: 'The big one', text: HUGE_TEXT }),
        await rawMail({ subject: 'After the big one' }),
      ];
      const ids = await intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
      const outcomes = await intake.processPending(ids);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['processed', 'quarantined', 'processed'],
      );
      const set = outcomes[1];
      assert.ok(set.status === 'quarantined');
      assert.match(set.error, /Reading the message stopped the mail reader/);
      assert.deepEqual(await t.db('tickets').orderBy('id').pluck('subject'), ['Before the big one', 'After the big one']);
      const kept = await t.db('inbound_mail').where({ id: ids[1] }).first();
      assert.equal(kept.status, 'quarantined');
      assert.equal(kept.raw.length, raws[1].length, 'the raw message is kept for staff');
    });

    it('reads a stored copy from its own bytes when what was read ahead differs (the same message, relayed again)', async () => {
      const reads: number[] = [];
      const inline = inlineReader(OWN);
      const counting: MailReader = {
        ...inline,
        start: (raws) => (reads.push(raws.length), inline.start(raws)),
        read: (raws) => (reads.push(raws.length), inline.read(raws)),
      };
      const intake = intakeWith(counting);
      const first = await rawMail({ messageId: testMessageId(), subject: 'The copy stored first' });
      const [id] = await intake.store([{ raw: first, source: 'import' }]);
      // Another copy of the same message, with a trace header of its own: other bytes, the same message.
      const relayed = Buffer.concat([Buffer.from('Received: from relay.firm.example by mx.court.example\r\n'), first]);
      const ahead = intake.readAhead([relayed]);
      const ids = await intake.store([{ raw: relayed, source: 'import' }]);
      assert.deepEqual(ids, [id], 'the second copy is refused by the Message-ID and content key');
      const [outcome] = await intake.processPending(ids, ahead);
      assert.equal(outcome.status, 'processed');
      assert.deepEqual(reads, [1, 1], 'what was read ahead is not taken for bytes it was not read from');
      assert.deepEqual(await t.db('tickets').pluck('subject'), ['The copy stored first']);
    });

    it('uses what was read ahead for the same bytes', async () => {
      const reads: number[] = [];
      const inline = inlineReader(OWN);
      const counting: MailReader = {
        ...inline,
        start: (raws) => (reads.push(raws.length), inline.start(raws)),
        read: (raws) => (reads.push(raws.length), inline.read(raws)),
      };
      const intake = intakeWith(counting);
      const raws = [await rawMail({ subject: 'One' }), await rawMail({ subject: 'Two' })];
      const ahead = intake.readAhead(raws);
      const ids = await intake.store(raws.map((raw) => ({ raw, source: 'import' as const })));
      await intake.processPending(ids, ahead);
      assert.deepEqual(reads, [2], 'read once, ahead, and not again');
      assert.deepEqual(await t.db('tickets').orderBy('id').pluck('subject'), ['One', 'Two']);
    });
  });
});

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

// A made-up request as mail programs send one (plain text and HTML, quoted-printable, a link).
const WARM_UP = Buffer.from(
  [
    'From: "A Filer" <filer@firm.example>',
    'To: helpdesk@court.example',
    'Subject: Cannot upload an exhibit',
    'Date: Mon, 2 Nov 2026 09:00:00 -0800',
    'Message-ID: <warm-up@firm.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="part"',
    '',
    '--part',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Hello,',
    '',
    'I cannot upload the exhibit in 3:20-cv-01234-JST. The PDF is only 8 MB.',
    '',
    'Thank you,',
    'A filer',
    '--part',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<p>Hello,</p><p>I cannot upload the exhibit in 3:20-cv-01234-JST. The PDF is only 8 MB.</p>',
    '<p>Thank you,<br>A filer, <a href=3D"https://firm.example/">Firm</a></p>',
    '--part--',
    '',
  ].join('\r\n'),
);

// Read twice before the first lot, then say so (warm() resolves): V8 compiles a regular expression
// to machine code only at its second match, and reading uses many. mail:poll --once waits for it
// before connecting; the server connects meanwhile.
let tail: Promise<unknown> = readAll([WARM_UP, WARM_UP], ownAddresses, rules).then(() => parentPort?.postMessage({ warm: true }));

parentPort?.on('message', (job: { id: number; raws: Uint8Array[] }) => {
  const raws = job.raws.map(asBuffer);
  tail = tail.then(async () => parentPort?.postMessage({ id: job.id, outcomes: await readAll(raws, ownAddresses, rules) }));
});
// Loaded: from now on, a worker that stops was stopped by what it was reading.
parentPort?.postMessage({ ready: true });

/**
 * Measures `helpdesk mail:inspect` on a folder of real notices: runs the command itself over every
 * `NAME.txt` (an RFC 822 message) and compares its JSON lines with `NAME.json` (expected dockets and
 * court). Prints the share of expected docket numbers found and of courts named, and what intake
 * would do with the notices (kind, decision).
 * Usage: npm run eval:mail-inspect -- <dir> [--verbose]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Expected {
  court_id?: string;
  dockets?: Array<{ docket_number: string }>;
}

interface Inspection {
  file: string;
  kind: string;
  decision: string;
  court?: string;
  caseNumbers: Array<{ number: string }>;
}

function main(): void {
  const args = process.argv.slice(2);
  const dir = args.find((arg) => !arg.startsWith('--'));
  const verbose = args.includes('--verbose');
  if (!dir) {
    console.error('usage: npm run eval:mail-inspect -- <dir> [--verbose]');
    process.exit(2);
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => path.join(dir, name));
  // A database of its own, so the measure never reads (or creates) the real one.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'eval-inspect-'));
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, '..', 'src', 'cli', 'index.ts'), 'mail:inspect', ...files],
      {
        env: { ...process.env, DATABASE_URL: `sqlite://${path.join(scratch, 'eval.sqlite3')}`, LOG_LEVEL: 'silent' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).toString();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const byFile = new Map(
    output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Inspection)
      .map((inspection) => [inspection.file, inspection]),
  );
  let expectedDockets = 0;
  let found = 0;
  let notices = 0;
  let courtsRight = 0;
  const kinds = new Map<string, number>();
  for (const file of files) {
    const text = readFileSync(file.replace(/\.txt$/, '.json'), 'utf8').trim();
    const expected = (text ? JSON.parse(text) : {}) as Expected;
    const got = byFile.get(file);
    if (!got) throw new Error(`mail:inspect printed nothing for ${file}`);
    const key = `${got.kind}/${got.decision}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
    const wanted = (expected.dockets ?? []).map((d) => d.docket_number);
    if (wanted.length === 0) continue;
    notices += 1;
    if (got.court === expected.court_id) courtsRight += 1;
    else if (verbose) console.log(`court of ${path.basename(file)}: expected ${expected.court_id}, got ${got.court ?? 'none'}`);
    const numbers = got.caseNumbers.map((c) => c.number);
    for (const number of wanted) {
      expectedDockets += 1;
      if (numbers.includes(number)) found += 1;
      else if (verbose) console.log(`missed ${number} in ${path.basename(file)} (found: ${numbers.join(', ') || 'none'})`);
    }
  }
  const share = expectedDockets === 0 ? 0 : found / expectedDockets;
  console.log(`messages inspected: ${files.length} (${notices} notices with dockets)`);
  console.log(`dockets found by mail:inspect: ${found}/${expectedDockets} (${(share * 100).toFixed(1)}%)`);
  console.log(`courts named correctly: ${courtsRight}/${notices} (${((courtsRight / Math.max(1, notices)) * 100).toFixed(1)}%)`);
  console.log(`kind/decision: ${[...kinds.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  process.exitCode = share >= 0.99 ? 0 : 1;
}

main();

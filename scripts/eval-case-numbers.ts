/**
 * Measures case-number recognition on a folder of real notices: each `NAME.txt` (an RFC 822 message)
 * beside `NAME.json` (its expected dockets). Prints the share of expected docket numbers found exactly.
 * Usage: npm run eval:case-numbers -- <dir> [--verbose]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { findCaseNumbers } from '../src/case-numbers/find-case-numbers';
import { readableBody } from '../src/mail/inbound/readable-text';

interface Expected {
  dockets?: Array<{ docket_number: string }>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args.find((arg) => !arg.startsWith('--'));
  const verbose = args.includes('--verbose');
  if (!dir) {
    console.error('usage: npm run eval:case-numbers -- <dir> [--verbose]');
    process.exit(2);
  }
  let expectedTotal = 0;
  let foundExactly = 0;
  let extra = 0;
  let negatives = 0;
  let falseOnNegatives = 0;
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()) {
    const jsonFile = path.join(dir, file.replace(/\.txt$/, '.json'));
    let expected: Expected;
    try {
      expected = JSON.parse(readFileSync(jsonFile, 'utf8') || '{}') as Expected;
    } catch {
      continue;
    }
    const mail = await simpleParser(readFileSync(path.join(dir, file)));
    const found = findCaseNumbers(`${mail.subject ?? ''}\n${readableBody(mail)}`).map((c) => c.number);
    const wanted = (expected.dockets ?? []).map((d) => d.docket_number);
    if (wanted.length === 0) {
      negatives += 1;
      if (found.length > 0) falseOnNegatives += 1;
      continue;
    }
    for (const number of wanted) {
      expectedTotal += 1;
      if (found.includes(number)) foundExactly += 1;
      else if (verbose) console.log(`missed ${number} in ${file} (found: ${found.join(', ') || 'none'})`);
    }
    const unexpected = found.filter((number) => !wanted.includes(number));
    extra += unexpected.length;
    if (verbose && unexpected.length > 0) console.log(`extra in ${file}: ${unexpected.join(', ')}`);
  }
  const share = expectedTotal === 0 ? 0 : foundExactly / expectedTotal;
  console.log(`dockets expected: ${expectedTotal}`);
  console.log(`found exactly: ${foundExactly} (${(share * 100).toFixed(1)}%)`);
  console.log(`other numbers reported: ${extra}`);
  console.log(`non-notices with a number reported: ${falseOnNegatives} of ${negatives}`);
  process.exitCode = share >= 0.99 ? 0 : 1;
}

void main();

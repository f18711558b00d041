/**
 * Measures the scope guard on a labelled set (default test/fixtures/triage/labelled-requests.json):
 * prints the confusion matrix (expected × decided), the refusal miss rate, the false-refusal rate,
 * and every error with the rules and words behind it.
 * Usage: npm run eval:triage -- [file] [--rules=policy/scope-rules.yaml] [--split=all|tuning|check]
 * (`check` is every fifth item by position, held back while tuning the rules; `tuning` is the rest.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadScopeRules } from '../src/policy/scope-guard';
import { evaluateTriage, formatEvaluation, holdBackEveryFifth, type LabelledRequest } from '../src/policy/triage-evaluation';

const DEFAULT_SET = path.join(__dirname, '..', 'test', 'fixtures', 'triage', 'labelled-requests.json');

function option(args: string[], name: string): string | undefined {
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--')) ?? DEFAULT_SET;
  const split = option(args, 'split') ?? 'all';
  if (!['all', 'tuning', 'check'].includes(split)) {
    console.error('usage: npm run eval:triage -- [file] [--rules=FILE] [--split=all|tuning|check]');
    process.exit(2);
  }
  const rulesFile = option(args, 'rules');
  const rules = rulesFile ? loadScopeRules(rulesFile) : loadScopeRules();
  const all = JSON.parse(readFileSync(file, 'utf8')) as LabelledRequest[];
  const items = split === 'all' ? all : holdBackEveryFifth(all)[split as 'tuning' | 'check'];
  const evaluation = evaluateTriage(rules, items);
  console.log(`${file} (${split}: ${items.length} requests), rules from ${rules.source}\n`);
  console.log(formatEvaluation(evaluation, { errors: true }));
  process.exitCode = evaluation.missedRefusals.rate <= 0.05 && evaluation.falseRefusals.rate <= 0.02 ? 0 : 1;
}

main();

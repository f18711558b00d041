/**
 * `npm run eval:triage`: measures the scope guard (rules + the committed model) like a classifier.
 * Prints, for English and Spanish, the holdout figures (its requests are scored, never printed) and
 * 10-fold cross-validation on `train`, and the mistakes on `train` for tuning.
 *
 *   npm run eval:triage                 figures, and the cross-validated mistakes on train
 *   npm run eval:triage -- --show-holdout   also prints the holdout's mistakes: for the final read of
 *                                       a round only (reading them ends tuning for that round)
 *   npm run eval:triage -- FILE.jsonl   figures for an outside set (JSON lines or a JSON array)
 */
import { readFileSync } from 'node:fs';
import { loadLabelledRequests, type LabelledRequest } from '../src/policy/labelled-requests';
import { decide, gatherEvidence, refusalScore, signalsOf } from '../src/policy/scope-decision';
import { figuresOf, share, type Scored } from '../src/policy/scope-evaluation';
import { loadScopeRules } from '../src/policy/scope-guard';
import { settingsOf } from '../src/policy/scope-model';
import { crossValidate } from '../src/policy/scope-training';
import { formatFigures } from './triage-report';

const rules = loadScopeRules();
const settings = settingsOf(rules.model);
const score = (items: LabelledRequest[]): Scored[] =>
  items.map((item) => ({ item, evidence: gatherEvidence(rules, { subject: item.subject, body: item.body }) }));

function mistakes(scored: Scored[]): string[] {
  const lines: string[] = [];
  for (const { item, evidence } of scored) {
    const decision = decide(evidence, settings[evidence.language], rules.model);
    const refused = decision.outcome === 'refuse' || decision.declined.length > 0;
    const wrong = item.expected === 'accept' ? refused || decision.outcome === 'review' : !refused;
    if (!wrong) continue;
    const got =
      decision.declined.length > 0
        ? `accept, declined ${decision.declined.join('+')}`
        : `${decision.outcome} ${decision.category ?? ''}`;
    lines.push(
      `- ${item.id} expected ${item.mixed ? 'mixed ' : ''}${item.expected}, got ${got} (refusal ${refusalScore(signalsOf(evidence), settings[evidence.language].combiner).toFixed(2)})`,
    );
    lines.push(`    ${(item.subject ?? '').slice(0, 80)} | ${item.body.replace(/\s+/g, ' ').slice(0, 220)}`);
    for (const reason of decision.reasons)
      lines.push(`    ${reason.rule}: "${reason.excerpt}"${reason.words ? ` [${reason.words.join(', ')}]` : ''}`);
  }
  return lines;
}

function readOutsideSet(file: string): LabelledRequest[] {
  const text = readFileSync(file, 'utf8').trim();
  return text.startsWith('[')
    ? (JSON.parse(text) as LabelledRequest[])
    : text.split('\n').map((line) => JSON.parse(line) as LabelledRequest);
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--'));
  console.log(`settings: ${JSON.stringify(settings)}`);
  if (file) {
    const scored = score(readOutsideSet(file));
    for (const language of ['en', 'es'] as const)
      console.log(`\n${file}, ${language}:\n${formatFigures(figuresOf(scored, settings, language))}`);
    return;
  }

  const { train, holdout } = loadLabelledRequests();
  const heldOut = score(holdout);
  const crossValidated = crossValidate(rules, train);
  for (const language of ['en', 'es'] as const) {
    console.log(`\nholdout, ${language}:\n${formatFigures(figuresOf(heldOut, settings, language))}`);
    console.log(
      `10-fold cross-validation on train, ${language}:\n${formatFigures(figuresOf(crossValidated, settings, language))}`,
    );
  }
  console.log(`\ncross-validated mistakes on train:\n${mistakes(crossValidated).join('\n')}`);
  if (args.includes('--show-holdout'))
    console.log(`\nholdout mistakes (tuning ends for this round):\n${mistakes(heldOut).join('\n')}`);

  const en = figuresOf(heldOut, settings, 'en');
  const es = figuresOf(heldOut, settings, 'es');
  const holds =
    share(en.recall) >= 0.95 &&
    share(en.inScopeRefused) <= 0.01 &&
    share(en.inScopeReviewed) <= 0.08 &&
    share(es.recall) >= 0.9 &&
    share(es.inScopeRefused) <= 0.03;
  console.log(
    `\nthe issue's bar on the holdout (en recall >= 95%, refused <= 1%, review <= 8%; es >= 90% / <= 3%): ${holds ? 'holds' : 'NOT met'}`,
  );
  process.exitCode = holds ? 0 : 1;
}

main();

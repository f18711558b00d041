/**
 * The scope guard's decision time per request: the whole decision (rules and the trained model, with
 * privacy masking as intake runs it) beside the rules alone, on requests of about 2,000 characters
 * built from the labelled `train` requests (the holdout is not read).
 */
import { readIntake } from '../../src/policy/intake-policy';
import { loadLabelledRequests } from '../../src/policy/labelled-requests';
import { loadScopeRules, triage } from '../../src/policy/scope-guard';

export interface TriageFigures {
  requests: number;
  characters: number;
  rules: { p50: number; p99: number };
  decision: { p50: number; p99: number };
}

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
}

function timeEach(
  inputs: Array<{ subject: string; body: string }>,
  decide: (input: { subject: string; body: string }) => void,
): number[] {
  return inputs.map((input) => {
    const started = process.hrtime.bigint();
    decide(input);
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
}

export function benchTriage(): TriageFigures {
  const rules = loadScopeRules();
  const { train } = loadLabelledRequests();
  // Each input: one labelled request followed by others until it reaches 2,000 characters.
  const inputs = train.map((item, i) => {
    let body = item.body;
    for (let j = i + 1; body.length < 2_000; j += 1) body += `\n\n${train[j % train.length].body}`;
    return { subject: item.subject ?? '', body: body.slice(0, 2_000) };
  });
  // A first pass loads and compiles what both need; the figures are of the second.
  for (const input of inputs.slice(0, 50)) readIntake(rules, input);
  const rulesTimes = timeEach(inputs, (input) => triage(rules, input));
  const decisionTimes = timeEach(inputs, (input) => readIntake(rules, input));
  return { requests: inputs.length, characters: 2_000, rules: percentiles(rulesTimes), decision: percentiles(decisionTimes) };
}

export function printTriage(f: TriageFigures): void {
  console.log(
    `\nScope guard, ${f.requests} requests of ${f.characters} characters: rules alone p50 ${f.rules.p50.toFixed(2)} ms, p99 ${f.rules.p99.toFixed(2)} ms; ` +
      `whole decision (masking, rules, model) p50 ${f.decision.p50.toFixed(2)} ms, p99 ${f.decision.p99.toFixed(2)} ms (floor: p99 under 5 ms)`,
  );
}

if (require.main === module) printTriage(benchTriage());

/**
 * The scope guard's decision time per request: the whole decision (rules and the trained model, with
 * privacy masking as intake runs it) beside the rules alone, on requests of about 2,000 characters
 * built from the labelled `train` requests (the holdout is not read). Each request is timed in
 * several passes and its median taken, as the other benchmarks take medians: one pass's slowest
 * percent is the machine pausing (the same requests are not slow in the next pass), not the requests.
 * Every single timing's p99 is printed too, pauses included.
 */
import { readIntake } from '../../src/policy/intake-policy';
import { loadLabelledRequests } from '../../src/policy/labelled-requests';
import { loadScopeRules, triage } from '../../src/policy/scope-guard';

export interface TriageFigures {
  requests: number;
  characters: number;
  passes: number;
  rules: { p50: number; p99: number };
  decision: { p50: number; p99: number };
  /** The p99 of every single decision timing, the machine's pauses included. */
  everyDecision: { p99: number };
}

const PASSES = 5;

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
}

function timeOnce(decide: (input: { subject: string; body: string }) => void, input: { subject: string; body: string }): number {
  const started = process.hrtime.bigint();
  decide(input);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

export function benchTriage(): TriageFigures {
  const rules = loadScopeRules();
  const { train } = loadLabelledRequests();
  // Each input: one labelled request followed by others until it reaches 2,000 characters.
  const inputs = train.map((item, i) => {
    let body = item.body;
    for (let j = i + 1; body.length < 2_000; j += 1) body += `\n\n${train[j % train.length].body}`;
    return { subject: item.subject ?? '', body: body.slice(0, 2_000) };
  });
  // A first pass loads and compiles what both need; the figures are of the passes after it.
  for (const input of inputs.slice(0, 50)) readIntake(rules, input);
  // The passes interleave the two, so a slow stretch of the machine falls on both alike.
  const rulesTimes: number[][] = inputs.map(() => []);
  const decisionTimes: number[][] = inputs.map(() => []);
  for (let pass = 0; pass < PASSES; pass += 1)
    inputs.forEach((input, i) => {
      rulesTimes[i].push(timeOnce((request) => triage(rules, request), input));
      decisionTimes[i].push(timeOnce((request) => readIntake(rules, request), input));
    });
  return {
    requests: inputs.length,
    characters: 2_000,
    passes: PASSES,
    rules: percentiles(rulesTimes.map(median)),
    decision: percentiles(decisionTimes.map(median)),
    everyDecision: { p99: percentiles(decisionTimes.flat()).p99 },
  };
}

export function printTriage(f: TriageFigures): void {
  console.log(
    `\nScope guard, ${f.requests} requests of ${f.characters} characters, each request's median of ${f.passes} passes: ` +
      `rules alone p50 ${f.rules.p50.toFixed(2)} ms, p99 ${f.rules.p99.toFixed(2)} ms; ` +
      `whole decision (masking, rules, model) p50 ${f.decision.p50.toFixed(2)} ms, p99 ${f.decision.p99.toFixed(2)} ms (floor: p99 under 5 ms); ` +
      `every single decision timing, the machine's pauses included: p99 ${f.everyDecision.p99.toFixed(2)} ms`,
  );
}

if (require.main === module) printTriage(benchTriage());

/**
 * `npm run train:scope`: rebuilds policy/scope-model.json from the `train` side of the labelled
 * requests (test/fixtures/triage/), with thresholds chosen by 10-fold cross-validation. Prints the
 * cross-validation figures; the holdout is never read here.
 */
import { writeFileSync } from 'node:fs';
import { loadLabelledRequests } from '../src/policy/labelled-requests';
import { formatFigures } from './triage-report';
import { figuresOf } from '../src/policy/scope-evaluation';
import { loadScopeRules } from '../src/policy/scope-guard';
import { defaultScopeModelFile, settingsOf } from '../src/policy/scope-model';
import { buildScopeModel, untrainedModel } from '../src/policy/scope-training';

function main(): void {
  const started = Date.now();
  const { train } = loadLabelledRequests();
  const rules = loadScopeRules(undefined, untrainedModel());
  const { model, crossValidated } = buildScopeModel(rules, train);
  const file = defaultScopeModelFile();
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  console.log(
    `trained on ${train.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.keys(model.request.weights).length} request features, ${Object.keys(model.sentence.weights).length} sentence features, ${Object.keys(model.pieces.weights).length} word pieces`,
  );
  console.log(`combiners: ${JSON.stringify(model.combiner)}\nthresholds: ${JSON.stringify(model.thresholds)}`);
  for (const language of ['en', 'es'] as const) {
    console.log(`\n10-fold cross-validation on train, ${language}:`);
    console.log(formatFigures(figuresOf(crossValidated, settingsOf(model), language)));
  }
  console.log(`\nwrote ${file}`);
}

main();

import assert from 'node:assert/strict';
import labelled from '../fixtures/triage/labelled-requests.json';
import { loadScopeRules } from '../../src/policy/scope-guard';
import { evaluateTriage, formatEvaluation, holdBackEveryFifth, type LabelledRequest } from '../../src/policy/triage-evaluation';

// Issue 5: refusals missed at most 5% of the time, in-scope requests refused at most 2%.
const MAX_MISSED_REFUSALS = 0.05;
const MAX_FALSE_REFUSALS = 0.02;

describe('scope guard quality on the labelled requests', () => {
  const rules = loadScopeRules();
  const items = labelled as LabelledRequest[];
  const evaluation = evaluateTriage(rules, items);

  before(() => {
    console.log(`\n    scope guard on ${items.length} labelled requests\n`);
    console.log(indent(formatEvaluation(evaluation, { errors: true })));
    console.log(`\n    held-back fifth (every 5th item by position):\n`);
    console.log(indent(formatEvaluation(evaluateTriage(rules, holdBackEveryFifth(items).check))));
    console.log('');
  });

  it('has a labelled set large enough to measure, half of it in scope', () => {
    assert.ok(items.length >= 150);
    assert.ok(items.filter((item) => item.expected === 'accept').length >= items.length / 2);
  });

  it(`misses at most ${MAX_MISSED_REFUSALS * 100}% of the requests that must be refused or flagged`, () => {
    assert.ok(evaluation.missedRefusals.rate <= MAX_MISSED_REFUSALS, errorsList(evaluation.errors));
  });

  it(`refuses at most ${MAX_FALSE_REFUSALS * 100}% of the requests that must be accepted`, () => {
    assert.ok(evaluation.falseRefusals.rate <= MAX_FALSE_REFUSALS, errorsList(evaluation.errors));
  });
});

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function errorsList(errors: ReturnType<typeof evaluateTriage>['errors']): string {
  return errors.map(({ item, outcome }) => `${item.id}: expected ${item.expected}, decided ${outcome}`).join('\n');
}

import { readFileSync } from 'node:fs';
import { loadScopeRules, triage, readSentences } from '../../work/main/src/policy/scope-guard';
import { holdBackEveryFifth, type LabelledRequest } from '../../work/main/src/policy/triage-evaluation';
const rules = loadScopeRules('/work/main/policy/scope-rules.yaml');
const all = JSON.parse(readFileSync('/work/main/test/fixtures/triage/labelled-requests.json', 'utf8')) as LabelledRequest[];
const set = process.argv[2] === 'check' ? holdBackEveryFifth(all).check : holdBackEveryFifth(all).tuning;
for (const item of set) {
  const r = triage(rules, item);
  if (r.reasons.length === 0) continue;
  console.log(item.id, item.expected, item.mixed ? 'MIXED' : '', '=>', r.decision, r.refused.join(','), r.reasons.map((x) => `${x.rule}:"${x.excerpt}"`).join(' ; '));
}

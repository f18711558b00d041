import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIntake, warmUpIntake } from '../../src/policy/intake-policy';
import { parse as parseYaml } from 'yaml';
import {
  compileScopeRules,
  defaultScopeRulesFile,
  loadScopeRules,
  readSentences,
  triage,
  type Decision,
} from '../../src/policy/scope-guard';
import { SENTENCE_JOIN } from '../../src/policy/scope-rules';

const rules = loadScopeRules();

/** Plainly in scope: CM/ECF questions, many mentioning a judge, a motion, a deadline or a legal word. */
const inScope = [
  'which event do I use for a motion to extend time?',
  "the judge's initials on my case number are wrong",
  "where are the judge's standing orders?",
  'what time is the e-filing deadline, midnight?',
  'How do I submit a proposed order to the judge?',
  'Do I mail a courtesy copy to chambers?',
  'Should I file the exhibit as an attachment or a separate docket entry?',
  'Should I file the declaration and the motion together or separately?',
  'The judge granted our motion to seal. How do I file the sealed document now?',
  'My NEF for the order denying the motion to dismiss has a broken link.',
  'Can you tell me how to link my PACER account to my e-filing account?',
  'How do I let the court know I changed my address?',
  "Can you send me the link to Judge Park's standing order?",
  'Does the judge get a copy of what I file automatically, or do I have to send it to chambers?',
  "What does 'terminated' mean on the docket report?",
  'I forgot to attach the exhibit to my motion. Can I add it now or do I have to refile?',
  'Is it too late to file tonight? The system says it is down for maintenance until 1am.',
  'Do I have to include a certificate of service when I file through the system?',
  "Judge Alvarez's chambers asked us to email the proposed order in Word format. What is the proposed order email address?",
  'The clerk entered default. Which event do I use for the motion for default judgment?',
  'If ECF is down on the day my brief is due, what should I do?',
  'Can I file a motion under seal without a lawyer?',
  'How long do I have to wait for my PACER account to be approved?',
  'THE SYSTEM KEEPS KICKING ME OUT. I HAVE A HEARING BEFORE JUDGE PARK ON MONDAY.',
];

const refusals: Array<{ expected: Exclude<Decision, 'accept'>; body: string; rule: string }> = [
  { expected: 'judge_contact', body: 'Please forward my letter to the judge.', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'can you tell the judge I will be 20 minutes late?', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'Could someone let Judge Chen know the parties have settled?', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'Kindly convey to Her Honor that opposing counsel is unreachable.', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'Please make sure chambers sees our exhibit before Thursday.', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'Would you mind telling Judge Park that the parties agree?', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: 'Please have the judge call me.', rule: 'relay-to-judge' },
  { expected: 'judge_contact', body: "Give me the judge's phone number.", rule: 'judge-direct-contact' },
  { expected: 'judge_contact', body: "What is Judge Okafor's direct email address?", rule: 'judge-direct-contact' },
  { expected: 'judge_contact', body: 'I want to speak privately with the judge.', rule: 'private-word-with-judge' },
  {
    expected: 'judge_contact',
    body: 'I emailed Judge Yu last week. Can you check whether she got it?',
    rule: 'relay-to-judge-by-pronoun',
  },
  { expected: 'judge_contact', body: "I'd like the judge to know that I never received the motion.", rule: 'wants-judge-told' },
  { expected: 'legal_advice', body: 'Should I appeal or ask for reconsideration first?', rule: 'what-to-file-or-do' },
  { expected: 'legal_advice', body: 'Can I sue my employer in this court?', rule: 'what-to-file-or-do' },
  { expected: 'legal_advice', body: 'The defendant offered $15,000. Would you take it?', rule: 'opinion-or-prediction' },
  { expected: 'legal_advice', body: 'Will the judge grant my motion?', rule: 'opinion-or-prediction' },
  { expected: 'legal_advice', body: "Can you explain what 'tolling' means in the order?", rule: 'meaning-for-the-case' },
  {
    expected: 'legal_advice',
    body: 'The order says stayed. Does that mean I still have to file the statement?',
    rule: 'meaning-for-the-case',
  },
  { expected: 'legal_advice', body: 'Does Rule 6(d) add 3 days if I was served by ECF?', rule: 'computing-their-deadline' },
  { expected: 'legal_advice', body: 'When is my opposition due?', rule: 'computing-their-deadline' },
  {
    expected: 'legal_advice',
    body: 'Can you check my brief before I file and tell me if it is strong enough?',
    rule: 'review-document-content',
  },
  { expected: 'legal_advice', body: 'Should I file in state or federal court?', rule: 'choosing-court-or-case-type' },
  {
    expected: 'legal_advice',
    body: 'What nature of suit code should I pick for a wrongful termination claim?',
    rule: 'choosing-court-or-case-type',
  },
];

const mixedRequests: Array<{ body: string; refused: Array<Exclude<Decision, 'accept'>> }> = [
  { body: 'How do I upload a 60 MB exhibit? Also, please tell the judge we will be late.', refused: ['judge_contact'] },
  { body: "I can't log in to PACER. And should I appeal the judgment?", refused: ['legal_advice'] },
  {
    body: 'Which event do I use for a proposed order? And please make sure Judge Brennan sees it today.',
    refused: ['judge_contact'],
  },
  { body: '1) My password reset link says expired. 2) When is my reply due?', refused: ['legal_advice'] },
];

describe('triage', () => {
  it('refuses a request to forward a letter to the judge, naming the rule and quoting the words', () => {
    const result = triage(rules, { subject: 'letter for Judge Marlowe', body: 'Can you forward my letter to Judge Marlowe?' });
    assert.equal(result.decision, 'judge_contact');
    assert.deepEqual(result.refused, ['judge_contact']);
    assert.equal(result.mixed, false);
    assert.equal(result.reasons[0].rule, 'relay-to-judge');
    assert.match(result.reasons[0].excerpt, /forward my letter to Judge Marlowe/);
  });

  for (const body of inScope) {
    it(`accepts, unflagged: ${body}`, () => {
      assert.deepEqual(triage(rules, { body }), { decision: 'accept', reasons: [], refused: [], mixed: false });
    });
  }

  for (const { expected, body, rule } of refusals) {
    it(`refuses as ${expected} (${rule}): ${body}`, () => {
      const result = triage(rules, { body });
      assert.equal(result.decision, expected);
      assert.equal(result.mixed, false);
      assert.ok(result.refused.includes(expected));
      assert.ok(
        result.reasons.some((reason) => reason.rule === rule),
        `expected rule ${rule}, got ${JSON.stringify(result.reasons)}`,
      );
    });
  }

  for (const { body, refused } of mixedRequests) {
    it(`accepts a mixed request and flags the refused part: ${body}`, () => {
      const result = triage(rules, { body });
      assert.equal(result.decision, 'accept');
      assert.equal(result.mixed, true);
      assert.deepEqual(result.refused, refused);
      assert.ok(result.reasons.length > 0);
    });
  }

  it('reads the subject as well as the body', () => {
    assert.equal(triage(rules, { subject: 'should we settle', body: 'They offered $5,000.' }).decision, 'legal_advice');
  });

  it('lets judge_contact win when a request is refused for both reasons', () => {
    const result = triage(rules, { body: 'Please tell the judge I am sick. Will the judge grant my motion?' });
    assert.equal(result.decision, 'judge_contact');
    assert.deepEqual(result.refused, ['judge_contact', 'legal_advice']);
  });

  it('does not count a refused part and a technical word in the same sentence as a mixed request', () => {
    const result = triage(rules, { body: 'Pls make sure the judge knows ECF was down last night.' });
    assert.equal(result.decision, 'judge_contact');
    assert.equal(result.mixed, false);
  });

  it('quotes the words that matched, trimmed and at most 120 characters', () => {
    const body = `Please forward ${'this very long and important explanation '.repeat(1)}to the judge.`;
    for (const sample of [body, ...refusals.map((r) => r.body)]) {
      for (const reason of triage(rules, { body: sample }).reasons) {
        assert.ok(reason.excerpt.length > 0 && reason.excerpt.length <= 120);
        assert.equal(reason.excerpt, reason.excerpt.trim());
        assert.ok(sample.toLowerCase().includes(reason.excerpt.replace(/…$/, '').toLowerCase()), reason.excerpt);
      }
    }
  });
});

describe('loadScopeRules', () => {
  let dir: string;
  const validRules = readFileSync(defaultScopeRulesFile(), 'utf8');
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'scope-rules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function load(text: string): () => unknown {
    const file = path.join(dir, `rules-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return () => loadScopeRules(file);
  }

  it('reads policy/scope-rules.yaml by default, every rule with a description', () => {
    assert.ok(defaultScopeRulesFile().endsWith(path.join('policy', 'scope-rules.yaml')));
    assert.ok(rules.rules.length > 5);
    for (const rule of rules.rules) assert.ok(rule.description.length > 20, rule.id);
  });

  const invalid: Array<{ name: string; from: string; to: string; message: RegExp }> = [
    {
      name: 'an unknown category',
      from: '  - id: relay-to-judge\n    category: judge_contact',
      to: '  - id: relay-to-judge\n    category: judge_talk',
      message: /rule "relay-to-judge".*category/,
    },
    {
      name: 'a pattern that is not a regular expression',
      from: "      - '\\bdue (?:on )?",
      to: "      - '(unclosed due (?:on )?",
      message: /rule "computing-their-deadline" patterns\[1\].*not a valid regular expression/,
    },
    {
      name: 'a term that is not defined',
      from: '  - id: review-document-content\n    category: legal_advice\n    excused_by_technical: true\n',
      to: "  - id: review-document-content\n    category: legal_advice\n    excused_by_technical: true\n    requires: ['{NOWHERE}']\n",
      message: /rule "review-document-content".*\{NOWHERE\}/,
    },
    {
      name: 'a rule id used twice',
      from: '  - id: opinion-or-prediction',
      to: '  - id: what-to-file-or-do',
      message: /rule "what-to-file-or-do" is defined twice/,
    },
  ];
  for (const { name, from, to, message } of invalid) {
    it(`rejects a rules file with ${name}, naming the rule`, () => {
      assert.ok(validRules.includes(from), `fixture text not found: ${from}`);
      assert.throws(load(validRules.replace(from, to)), message);
    });
  }

  it('rejects a rule with no patterns, naming it', () => {
    assert.throws(
      load(
        'version: 1\nsentences: {}\ntechnical: {phrases: [ecf], asks: ["\\\\?"]}\nrules:\n  - id: empty-rule\n    category: legal_advice\n    description: has nothing to match\n    patterns: []\n',
      ),
      /rule "empty-rule".*patterns/,
    );
  });
});

describe('the scope guard screen', () => {
  it('never hides a rule: whenever a pattern matches one sentence, its rule’s screen matches the joined request', () => {
    const labelled = JSON.parse(
      readFileSync(path.join(__dirname, '..', 'fixtures', 'triage', 'labelled-requests.json'), 'utf8'),
    ) as Array<{ subject: string; body: string }>;
    const requests = [...labelled, ...inScope.map((body) => ({ subject: '', body }))];
    let matches = 0;
    for (const request of requests) {
      const sentences = readSentences(rules, request).map((r) => r.sentence);
      const joined = sentences.join(SENTENCE_JOIN);
      for (const rule of rules.rules) {
        if (!sentences.some((sentence) => rule.patterns.some((p) => p.test(sentence)))) continue;
        matches += 1;
        assert.ok(rule.screen.test(joined), `${rule.id} screened out of: ${request.subject} / ${request.body}`);
      }
    }
    assert.ok(matches > 100, `the check saw real matches (${matches})`);
  });
});

describe('warming up the intake policy', () => {
  it('changes no decision', () => {
    const labelled = JSON.parse(
      readFileSync(path.join(__dirname, '..', 'fixtures', 'triage', 'labelled-requests.json'), 'utf8'),
    ) as Array<{ subject: string; body: string }>;
    const warmed = loadScopeRules();
    warmUpIntake(warmed);
    const fresh = loadScopeRules();
    for (const request of labelled) assert.deepEqual(readIntake(warmed, request), readIntake(fresh, request), request.body);
  });

  it('leaves no search position behind on an expression that keeps one', () => {
    // A sentence break that the warm-up's texts are full of: a global expression that matched.
    const data = parseYaml(readFileSync(defaultScopeRulesFile(), 'utf8')) as { sentences: { breaks: string[] } };
    data.sentences.breaks.push('\\bfile\\b');
    const rules = compileScopeRules(data);
    warmUpIntake(rules);
    assert.equal(rules.sentenceBreak?.lastIndex, 0);
    assert.deepEqual(
      readSentences(rules, { body: 'Where do I file this?' }).map((r) => r.sentence),
      ['Where do I', 'file this?'],
    );
  });
});

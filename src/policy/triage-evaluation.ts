/**
 * Measures the scope rules alone on the first labelled set (labelled-requests.json): a confusion matrix, the
 * share of refusals missed and the share of in-scope requests refused. Used by
 * the rules quality test (the whole guard is measured by scope-evaluation.ts).
 */
import type { LabelledRequest } from './labelled-requests';
import { triage, type ScopeRules, type TriageResult } from './scope-guard';

export type { LabelledRequest };

export const EXPECTED_ROWS = ['accept', 'legal_advice', 'judge_contact', 'mixed legal_advice', 'mixed judge_contact'] as const;
export const OUTCOME_COLUMNS = [
  'accept',
  'flagged legal_advice',
  'flagged judge_contact',
  'flagged both',
  'legal_advice',
  'judge_contact',
] as const;
type Row = (typeof EXPECTED_ROWS)[number];
type Column = (typeof OUTCOME_COLUMNS)[number];

export interface Rate {
  count: number;
  of: number;
  rate: number;
}

export interface TriageEvaluation {
  total: number;
  correct: number;
  matrix: Record<Row, Record<Column, number>>;
  /** Requests with a refused part (pure or mixed) whose category was neither decided nor flagged. */
  missedRefusals: Rate;
  /** Requests that should be accepted (in scope, or mixed) but were refused outright. */
  falseRefusals: Rate;
  /** In-scope requests accepted but flagged with a refused part that is not there. */
  falseFlags: Rate;
  errors: Array<{ item: LabelledRequest; result: TriageResult; outcome: Column }>;
}

function rowOf(item: LabelledRequest): Row {
  if (item.expected === 'accept') return 'accept';
  return item.mixed ? `mixed ${item.expected}` : item.expected;
}

function outcomeOf(result: TriageResult): Column {
  if (result.decision !== 'accept') return result.decision;
  if (result.refused.length === 0) return 'accept';
  return result.refused.length > 1 ? 'flagged both' : `flagged ${result.refused[0]}`;
}

function isCorrect(item: LabelledRequest, result: TriageResult): boolean {
  if (item.expected === 'accept') return result.decision === 'accept' && result.refused.length === 0;
  if (item.mixed) return result.decision === 'accept' && result.refused.includes(item.expected);
  return result.decision === item.expected;
}

function rate(count: number, of: number): Rate {
  return { count, of, rate: of === 0 ? 0 : count / of };
}

/** Runs the scope guard over labelled requests and tallies the results. */
export function evaluateTriage(rules: ScopeRules, items: LabelledRequest[]): TriageEvaluation {
  const matrix = Object.fromEntries(
    EXPECTED_ROWS.map((row) => [row, Object.fromEntries(OUTCOME_COLUMNS.map((column) => [column, 0]))]),
  ) as TriageEvaluation['matrix'];
  const errors: TriageEvaluation['errors'] = [];
  let missed = 0;
  let refusalsExpected = 0;
  let refusedWrongly = 0;
  let acceptsExpected = 0;
  let flaggedWrongly = 0;
  let inScope = 0;
  for (const item of items) {
    const result = triage(rules, { subject: item.subject, body: item.body });
    const outcome = outcomeOf(result);
    matrix[rowOf(item)][outcome] += 1;
    if (!isCorrect(item, result)) errors.push({ item, result, outcome });
    if (item.expected !== 'accept') {
      refusalsExpected += 1;
      if (result.decision !== item.expected && !result.refused.includes(item.expected)) missed += 1;
    }
    if (item.expected === 'accept' || item.mixed) {
      acceptsExpected += 1;
      if (result.decision !== 'accept') refusedWrongly += 1;
    }
    if (item.expected === 'accept') {
      inScope += 1;
      if (result.decision === 'accept' && result.refused.length > 0) flaggedWrongly += 1;
    }
  }
  return {
    total: items.length,
    correct: items.length - errors.length,
    matrix,
    missedRefusals: rate(missed, refusalsExpected),
    falseRefusals: rate(refusedWrongly, acceptsExpected),
    falseFlags: rate(flaggedWrongly, inScope),
    errors,
  };
}

/** Splits labelled requests into a tuning set and a held-back check set: every fifth item by position. */
export function holdBackEveryFifth<T>(items: T[]): { tuning: T[]; check: T[] } {
  return {
    tuning: items.filter((_item, index) => (index + 1) % 5 !== 0),
    check: items.filter((_item, index) => (index + 1) % 5 === 0),
  };
}

function percent(value: Rate): string {
  return `${value.count}/${value.of} = ${(value.rate * 100).toFixed(1)}%`;
}

/** The evaluation as plain text: matrix, rates and (optionally) each error with its reasons. */
export function formatEvaluation(evaluation: TriageEvaluation, options: { errors?: boolean } = {}): string {
  const width = Math.max(...EXPECTED_ROWS.map((row) => row.length)) + 2;
  const header = `${'expected \\ decided'.padEnd(width)}${OUTCOME_COLUMNS.map((column) => column.padStart(column.length + 2)).join('')}`;
  const rows = EXPECTED_ROWS.map(
    (row) =>
      `${row.padEnd(width)}${OUTCOME_COLUMNS.map((column) => String(evaluation.matrix[row][column]).padStart(column.length + 2)).join('')}`,
  );
  const lines = [
    header,
    ...rows,
    '',
    `correct: ${evaluation.correct}/${evaluation.total} = ${((evaluation.correct / Math.max(evaluation.total, 1)) * 100).toFixed(1)}%`,
    `refusals missed (neither refused nor flagged): ${percent(evaluation.missedRefusals)}`,
    `false refusals (in scope or mixed, but refused): ${percent(evaluation.falseRefusals)}`,
    `in-scope requests flagged with a refused part: ${percent(evaluation.falseFlags)}`,
  ];
  if (options.errors && evaluation.errors.length > 0) {
    lines.push('', `errors (${evaluation.errors.length}):`);
    for (const { item, result, outcome } of evaluation.errors) {
      const expected = item.mixed ? `mixed ${item.expected}` : item.expected;
      lines.push(`- ${item.id}: expected ${expected}, decided ${outcome}`);
      lines.push(`    ${item.subject ?? ''} | ${item.body.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const reason of result.reasons) lines.push(`    reason ${reason.rule}: "${reason.excerpt}"`);
    }
  }
  return lines.join('\n');
}

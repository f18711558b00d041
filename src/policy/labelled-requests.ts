/**
 * The labelled requests the scope guard is trained and measured on (test/fixtures/triage/), and their
 * split, made once by a fixed seed, into `train` (tuned on) and `holdout` (only ever scored). An item's
 * side is a digest of the seed and its id, so adding requests later never moves one already placed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths';
import type { Language } from './detect-language';
import type { RefusalCategory } from './scope-guard';

export interface LabelledRequest {
  id: string;
  lang?: Language;
  subject?: string;
  body: string;
  expected: 'accept' | RefusalCategory;
  /** A technical question plus a refused part: should be accepted and the part declined. */
  mixed: boolean;
  writer?: string;
  note?: string;
  /** For a refused `train` request: its sentences that carry the refused ask (refused-sentences.jsonl). */
  refusedSentences?: string[];
}

export const TRIAGE_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'triage');
/** The seed of the split; changing it would put tuned-on requests into the holdout. */
export const SPLIT_SEED = 'scope-guard-split-2026-12-03';
const HOLDOUT_SHARE = 0.2;

/** True for the requests kept back from tuning. */
export function isHoldout(id: string): boolean {
  const digest = createHash('sha256').update(`${SPLIT_SEED}:${id}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < HOLDOUT_SHARE;
}

/**
 * Every labelled request: the fresh sets in written/ (split by seed), and the first set,
 * labelled-requests.json, which the rules were written from and so is always `train`.
 */
export function loadLabelledRequests(dir = TRIAGE_DIR): { train: LabelledRequest[]; holdout: LabelledRequest[] } {
  const written: LabelledRequest[] = [];
  const writtenDir = path.join(dir, 'written');
  for (const file of readdirSync(writtenDir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(path.join(writtenDir, file), 'utf8').split('\n')) {
      if (line.trim()) written.push(JSON.parse(line) as LabelledRequest);
    }
  }
  const marks = loadRefusedSentences(dir);
  const marked = (item: LabelledRequest): LabelledRequest =>
    marks.has(item.id) ? { ...item, refusedSentences: marks.get(item.id) } : item;
  const first = (JSON.parse(readFileSync(path.join(dir, 'labelled-requests.json'), 'utf8')) as LabelledRequest[]).map((item) => ({
    ...item,
    lang: 'en' as const,
  }));
  return {
    train: [...first, ...written.filter((item) => !isHoldout(item.id))].map(marked),
    holdout: written.filter((item) => isHoldout(item.id)),
  };
}

/**
 * Which sentences of each refused `train` request carry the refused ask, marked by people reading them
 * (the sentences as the guard splits them). Nobody marked the holdout: it is only ever scored.
 */
export function loadRefusedSentences(dir = TRIAGE_DIR): Map<string, string[]> {
  const marks = new Map<string, string[]>();
  for (const line of readFileSync(path.join(dir, 'refused-sentences.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { id, refused } = JSON.parse(line) as { id: string; refused: string[] };
    marks.set(id, refused);
  }
  return marks;
}

/** The text the guard reads for an item. */
export const textOf = (item: LabelledRequest) => `${item.subject ?? ''}\n${item.body}`;

/** Splits items into k folds by position after a seeded shuffle (the same folds every run). */
export function foldsOf<T extends { id: string }>(items: T[], k: number): T[][] {
  const order = [...items].sort((a, b) => {
    const key = (item: T) => createHash('sha256').update(`${SPLIT_SEED}:fold:${item.id}`).digest('hex');
    return key(a) < key(b) ? -1 : 1;
  });
  const folds: T[][] = Array.from({ length: k }, () => []);
  order.forEach((item, i) => folds[i % k].push(item));
  return folds;
}

/**
 * `npm run eval:faq`: measures the FAQ search box (mode `all`) like a retrieval system: top-1, top-3
 * and MRR (mean reciprocal rank of the first right answer in the first ten).
 *
 * The fresh filer queries in test/fixtures/faq-relevance/written/*.jsonl are split once, by a fixed
 * seed on each item's id, into `tune` (70%, looked at while tuning) and `holdout` (30%, only ever
 * scored: its items are never printed while tuning). The first relevance set,
 * test/fixtures/faq-relevance.json, was tuned on and is printed as a check that it does not fall.
 *
 *   npm run eval:faq                          figures for the old set, tune and holdout
 *   npm run eval:faq -- --tune-only           without the holdout figures (while tuning)
 *   npm run eval:faq -- --tune-styles         also the tune figures by style of query (typo, question, long…)
 *   npm run eval:faq -- --show-tune-misses    also the tune items missed from the top 3 (query, expected, got)
 *   npm run eval:faq -- --show-tune-misses=1  … missed from the top 1
 *   npm run eval:faq -- --show-holdout        also the holdout's misses: for the final read only;
 *                                             reading them ends tuning
 *   npm run eval:faq -- --show-es-tune-misses also the Spanish tune items missed from the top 3
 *
 * The Spanish queries in test/fixtures/faq-relevance/es/*.jsonl measure the Spanish search (the
 * answers in faq-content/es/, Spanish stems and synonyms) the same way, split by the same seed;
 * their holdout items are never printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { courtProfileSchema } from '../src/config/court-profile';
import { loadFaqAnswers } from '../src/faq/faq-content';
import { createFaqSearch } from '../src/faq/faq-search';
import {
  firstRightRank,
  formatRelevance,
  isFaqHoldout,
  relevanceFigures,
  type RelevanceItem,
} from '../src/faq/search-evaluation';
import { loadSynonyms } from '../src/faq/search-synonyms';
import { spanishWords } from '../src/faq/search-text-es';
import { FAQ_DIR, PROJECT_ROOT } from '../src/paths';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');
const WRITTEN_DIR = path.join(FIXTURES, 'faq-relevance', 'written');
const SPANISH_DIR = path.join(FIXTURES, 'faq-relevance', 'es');
const DEPTH = 10;

function readWritten(dir = WRITTEN_DIR): RelevanceItem[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files.sort().flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as RelevanceItem),
  );
}

function readOldSet(): RelevanceItem[] {
  const cases = JSON.parse(readFileSync(path.join(FIXTURES, 'faq-relevance.json'), 'utf8')) as Array<{
    query: string;
    expected: string;
  }>;
  return cases.map((c, i) => ({ id: `old-${i}`, query: c.query, expected: [c.expected] }));
}

function main(): void {
  const args = process.argv.slice(2);
  const faq = createFaqSearch(loadFaqAnswers(FAQ_DIR, courtProfileSchema.parse({})), loadSynonyms());
  const found = (item: RelevanceItem) => faq.search(item.query, { mode: 'all', limit: DEPTH }).map((r) => r.id);
  const ranks = (items: RelevanceItem[]) => items.map((item) => firstRightRank(found(item), item.expected));
  const depth = args.includes('--show-tune-misses=1') ? 1 : 3;
  const misses = (items: RelevanceItem[]) =>
    items.flatMap((item) => {
      const got = found(item);
      const rank = firstRightRank(got, item.expected);
      return rank >= 1 && rank <= depth
        ? []
        : [
            `  ${JSON.stringify(item.query)}${item.style ? ` (${item.style})` : ''}\n    want ${item.expected.join(' | ')}\n    got  ${got.slice(0, 3).join(', ') || '(nothing)'}${rank > 3 ? ` … right at ${rank}` : ''}`,
          ];
    });

  const written = readWritten();
  // Answers the items expect that the FAQ does not have (yet): counted, not listed, as holdout items are among them.
  const missing = new Map<string, number>();
  for (const item of written) for (const id of item.expected) if (!faq.get(id)) missing.set(id, (missing.get(id) ?? 0) + 1);
  for (const [id, count] of missing) console.log(`${count} items expect the answer "${id}", which does not exist`);
  const tune = written.filter((item) => !isFaqHoldout(item.id));
  const holdout = written.filter((item) => isFaqHoldout(item.id));

  const answerable = (item: RelevanceItem) => item.expected.some((id) => faq.get(id));
  const print = (name: string, items: RelevanceItem[]) => {
    console.log(formatRelevance(name, relevanceFigures(ranks(items))));
    if (missing.size > 0)
      console.log(formatRelevance(`${name}, only items whose answer exists`, relevanceFigures(ranks(items.filter(answerable)))));
  };
  console.log(formatRelevance('old set (tuned on earlier)', relevanceFigures(ranks(readOldSet()))));
  print('tune', tune);
  if (!args.includes('--tune-only')) print('holdout', holdout);
  if (args.includes('--tune-styles')) {
    const styles = [...new Set(tune.map((item) => item.style ?? '(none)'))].sort();
    for (const style of styles)
      console.log(
        formatRelevance(`  tune, ${style}`, relevanceFigures(ranks(tune.filter((item) => (item.style ?? '(none)') === style)))),
      );
  }
  if (args.some((arg) => arg.startsWith('--show-tune-misses')))
    console.log(`\ntune misses (not in the top ${depth}):\n${misses(tune).join('\n')}`);
  if (args.includes('--show-holdout')) console.log(`\nholdout misses (tuning ends here):\n${misses(holdout).join('\n')}`);
  spanish(args);
}

/** The Spanish search, measured on the Spanish queries: tune and holdout, split by the same seed. */
function spanish(args: string[]): void {
  const items = readWritten(SPANISH_DIR);
  if (items.length === 0) return;
  const dir = path.join(FAQ_DIR, 'es');
  const faq = createFaqSearch(
    loadFaqAnswers(dir, courtProfileSchema.parse({}), 'es'),
    loadSynonyms(path.join(dir, 'synonyms.yaml')),
    spanishWords,
  );
  const found = (item: RelevanceItem) => faq.search(item.query, { mode: 'all', limit: DEPTH }).map((r) => r.id);
  const ranks = (list: RelevanceItem[]) => list.map((item) => firstRightRank(found(item), item.expected));
  const missing = items.flatMap((item) => item.expected).filter((id) => !faq.get(id));
  if (missing.length > 0) console.log(`${missing.length} Spanish items expect answers that have no Spanish version`);
  const tune = items.filter((item) => !isFaqHoldout(item.id));
  const holdout = items.filter((item) => isFaqHoldout(item.id));
  console.log(formatRelevance('spanish tune', relevanceFigures(ranks(tune))));
  if (!args.includes('--tune-only')) console.log(formatRelevance('spanish holdout', relevanceFigures(ranks(holdout))));
  if (args.includes('--show-es-tune-misses'))
    for (const item of tune) {
      const got = found(item);
      const rank = firstRightRank(got, item.expected);
      if (rank < 1 || rank > 3)
        console.log(
          `  ${JSON.stringify(item.query)}\n    want ${item.expected.join(' | ')}\n    got  ${got.slice(0, 3).join(', ')}`,
        );
    }
}

main();

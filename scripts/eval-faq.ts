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
import { FAQ_DIR, PROJECT_ROOT } from '../src/paths';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');
const WRITTEN_DIR = path.join(FIXTURES, 'faq-relevance', 'written');
const DEPTH = 10;

function readWritten(): RelevanceItem[] {
  let files: string[];
  try {
    files = readdirSync(WRITTEN_DIR).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files.sort().flatMap((file) =>
    readFileSync(path.join(WRITTEN_DIR, file), 'utf8')
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
}

main();

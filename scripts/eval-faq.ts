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
 *   npm run eval:faq -- --cv                  5-fold cross-validation on tune of the search's weights
 *                                             (search-weights.ts): per fold, the weights chosen on the
 *                                             other four folds against the shipped ones; tune only
 *   npm run eval:faq -- --synonym-ablation    each synonym group left out in turn: the tune and old-set
 *                                             items it moves into or out of the top 3 (counts only)
 *   npm run eval:faq -- --synonym-ablation=phrases  the same for each member of three words or more
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
  coordinateSearch,
  cvFold,
  firstRightRank,
  formatRelevance,
  isFaqHoldout,
  relevanceFigures,
  relevanceScore,
  type RelevanceItem,
  type TunedParameter,
} from '../src/faq/search-evaluation';
import { SEARCH_WEIGHTS, type SearchWeights } from '../src/faq/search-weights';
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
  if (args.includes('--cv')) return crossValidate();
  if (args.some((arg) => arg.startsWith('--synonym-ablation')))
    return synonymAblation(args.includes('--synonym-ablation=phrases'));
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

/**
 * What each synonym group is worth: the search without it, on tune and the old set. A group that
 * brings a single tune item into the top 3 and nothing else was likely written for that item.
 */
function synonymAblation(phrases: boolean): void {
  const answers = loadFaqAnswers(FAQ_DIR, courtProfileSchema.parse({}));
  const groups = loadSynonyms();
  const tune = readWritten().filter((item) => !isFaqHoldout(item.id));
  const old = readOldSet();
  const hits = (synonyms: string[][], items: RelevanceItem[]) => {
    const faq = createFaqSearch(answers, synonyms);
    return items.map((item) => {
      const rank = firstRightRank(
        faq.search(item.query, { mode: 'all', limit: DEPTH }).map((r) => r.id),
        item.expected,
      );
      return rank >= 1 && rank <= 3;
    });
  };
  const allTune = hits(groups, tune);
  const allOld = hits(groups, old);
  const moved = (before: boolean[], after: boolean[]) => ({
    lost: before.filter((hit, i) => hit && !after[i]).length,
    gained: before.filter((hit, i) => !hit && after[i]).length,
  });
  const report = (name: string, without: string[][]) => {
    const t = moved(allTune, hits(without, tune));
    const o = moved(allOld, hits(without, old));
    if (t.lost + t.gained + o.lost + o.gained > 0)
      console.log(`${name}: without it tune -${t.lost} +${t.gained}, old -${o.lost} +${o.gained}`);
  };
  groups.forEach((group, g) => {
    if (!phrases)
      return report(
        `${String(g + 1).padStart(3)} ${group.slice(0, 3).join(', ')}…`,
        groups.filter((_, i) => i !== g),
      );
    group.forEach((member, m) => {
      if (member.split(/\s+/).length < 3) return;
      report(
        `${String(g + 1).padStart(3)} "${member}"`,
        groups.map((other, i) => (i === g ? other.filter((_, j) => j !== m) : other)),
      );
    });
  });
}

const FOLDS = 5;

/** A parameter of the weights at `path` (group and key), with the values tried. */
function weight<G extends keyof SearchWeights>(group: G, key: string, values: number[]): TunedParameter<SearchWeights> {
  type Group = Record<string, number>;
  return {
    name: `${group}.${key}`,
    values,
    get: (w) => (w[group] as unknown as Group)[key],
    set: (w, value) => ({ ...w, [group]: { ...(w[group] as unknown as Group), [key]: value } }),
  };
}

const TUNED: Array<TunedParameter<SearchWeights>> = [
  weight('fields', 'title', [4, 7, 10, 15]),
  weight('fields', 'keywords', [3, 6, 9, 12]),
  weight('fields', 'asks', [3, 6, 9, 12]),
  weight('bm25', 'b', [0.3, 0.5, 0.75, 0.9]),
  weight('bm25', 'k1', [0.8, 1.2, 1.6, 2]),
  weight('boost', 'prefix', [1, 3, 5]),
  weight('boost', 'typo', [3, 5, 8]),
  weight('boost', 'synonym', [3, 6, 9]),
  weight('quality', 'typo', [0.4, 0.6, 0.8]),
  weight('quality', 'synonym', [0.6, 0.8, 1]),
  {
    name: 'coveragePower',
    values: [1, 1.5, 2, 3],
    get: (w) => w.coveragePower,
    set: (w, value) => ({ ...w, coveragePower: value }),
  },
  {
    name: 'bodyCoverage',
    values: [0.3, 0.5, 0.7, 1],
    get: (w) => w.bodyCoverage,
    set: (w, value) => ({ ...w, bodyCoverage: value }),
  },
];

/**
 * Nested 5-fold cross-validation on tune: for each fold, the weights that score best on the other
 * four (coordinate search from the shipped ones) are scored on it, beside the shipped weights. The
 * mean says what choosing weights this way is worth on queries it did not see; holdout is untouched.
 */
function crossValidate(): void {
  const answers = loadFaqAnswers(FAQ_DIR, courtProfileSchema.parse({}));
  const synonyms = loadSynonyms();
  const tune = readWritten().filter((item) => !isFaqHoldout(item.id));
  const folds = tune.map((item) => cvFold(item.id, FOLDS));
  const cache = new Map<string, number[]>();
  const ranksOf = (weights: SearchWeights) => {
    const key = JSON.stringify(weights);
    let ranks = cache.get(key);
    if (!ranks) {
      const faq = createFaqSearch(answers, synonyms, undefined, weights);
      ranks = tune.map((item) =>
        firstRightRank(
          faq.search(item.query, { mode: 'all', limit: DEPTH }).map((r) => r.id),
          item.expected,
        ),
      );
      cache.set(key, ranks);
    }
    return ranks;
  };
  const on = (weights: SearchWeights, fold: number) => relevanceFigures(ranksOf(weights).filter((_, i) => folds[i] === fold));
  const changed = (w: SearchWeights) =>
    TUNED.filter((p) => p.get(w) !== p.get(SEARCH_WEIGHTS))
      .map((p) => `${p.name}=${p.get(w)}`)
      .join(' ') || '(as shipped)';
  let shippedSum = 0;
  let chosenSum = 0;
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const chosen = coordinateSearch(SEARCH_WEIGHTS, TUNED, ranksOf, (i) => folds[i] !== fold);
    const shipped = on(SEARCH_WEIGHTS, fold);
    const picked = on(chosen, fold);
    shippedSum += relevanceScore(shipped);
    chosenSum += relevanceScore(picked);
    console.log(formatRelevance(`fold ${fold + 1}, shipped`, shipped));
    console.log(formatRelevance(`fold ${fold + 1}, chosen on the others`, picked) + `  ${changed(chosen)}`);
  }
  console.log(
    `mean of (top-3 + MRR) / 2 over the folds: shipped ${(shippedSum / FOLDS).toFixed(3)}, chosen ${(chosenSum / FOLDS).toFixed(3)}`,
  );
  const all = coordinateSearch(SEARCH_WEIGHTS, TUNED, ranksOf, () => true);
  console.log(`chosen on all of tune: ${changed(all)}`);
  for (let fold = 0; fold < FOLDS; fold += 1)
    console.log(
      `  fold ${fold + 1}: shipped ${relevanceScore(on(SEARCH_WEIGHTS, fold)).toFixed(3)}, chosen ${relevanceScore(on(all, fold)).toFixed(3)}`,
    );
}

main();

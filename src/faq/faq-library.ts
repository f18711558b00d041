import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import { readAnswerSource } from './faq-answer-check';
import { listSynonyms, publishedSources, readChangeCount, type AnswerLanguage } from './faq-answers.repository';
import { placeholderValues, renderAnswer, type FaqAnswer } from './faq-content';
import { createFaqSearch, type FaqSearch } from './faq-search';
import { rowsToGroups } from './faq-synonyms';
import type { SynonymGroups } from './search-synonyms';
import { englishWords, type WordRules } from './search-text';
import { spanishWords } from './search-text-es';

/** The answers' languages; each has its own index (its own stemmer, stop words and synonyms). */
export const FAQ_LANGUAGES: readonly AnswerLanguage[] = ['en', 'es'];
const RULES: Record<AnswerLanguage, WordRules> = { en: englishWords, es: spanishWords };

/** Each language's index. */
export type FaqSearches = Record<AnswerLanguage, FaqSearch>;

/**
 * Every reader takes the index of one language (English when not told): `fresh('es')` searches the
 * Spanish answers. An answer missing in Spanish is not in the Spanish index; pages show the English one.
 */
export interface FaqLibrary {
  /** The index as last built, at once: for code that cannot wait (suggestions inside intake). */
  current(language?: AnswerLanguage): FaqSearch;
  /**
   * The index, current with the database: the change counter is read at most once a second per
   * process, and the index rebuilt when it moved, so a change published by any process is searchable
   * here within a second (and at once in the process that published it, see reload).
   */
  fresh(language?: AnswerLanguage): Promise<FaqSearch>;
  /** The index when it was checked within the last second, without waiting; undefined when a check is due (then call fresh). */
  freshNow(language?: AnswerLanguage): FaqSearch | undefined;
  /** Reads the database again now: after this process published a change. */
  reload(): Promise<FaqSearch>;
  close(): void;
}

/** How often a process asks the database whether the FAQ changed: the most a change can take to reach it. */
export const FAQ_CHECK_MS = 1000;

let emptySearch: FaqSearch | undefined;

// Rendered answers by court and source: after a publication only the changed answer is rendered again.
const rendered = new LRUCache<string, FaqAnswer>({ max: 2000 });

// The same content for the same court builds the same index: kept, so that processes and test apps
// reading identical rows do not render and index them again.
const builtFor = new LRUCache<string, FaqSearch>({ max: 8 });

/**
 * Renders the stored answers of one language for this court and indexes them (or reuses the index
 * for identical content).
 */
export function searchOver(
  sources: Array<{ id: string; source: string }>,
  synonyms: SynonymGroups,
  profile: CourtProfile,
  language: AnswerLanguage = 'en',
): FaqSearch {
  const values = placeholderValues(profile, language);
  const valuesKey = JSON.stringify(values);
  const key = createHash('sha256')
    .update(JSON.stringify([language, values, sources, synonyms]))
    .digest('base64url');
  let search = builtFor.get(key);
  if (!search) {
    const answers = sources.flatMap(({ source }) => {
      const renderKey = `${valuesKey}\u0000${source}`;
      let answer = rendered.get(renderKey);
      if (!answer) {
        const { frontMatter, body } = readAnswerSource(source);
        // Every version was checked when published; one that no longer reads is left out, not fatal.
        if (!frontMatter) return [];
        answer = renderAnswer(frontMatter, body, values);
        rendered.set(renderKey, answer);
      }
      return [answer];
    });
    search = createFaqSearch(answers, synonyms, RULES[language]);
    builtFor.set(key, search);
  }
  return search;
}

/**
 * The FAQ as every reader sees it: /faq, the API, acknowledgements, the thank-you page and the staff
 * reply picker. Answers come from the database (SPEC §11); `prepare` runs once before the first read
 * (the server's first start fills an empty database from faq-content/ there).
 */
export function openFaqLibrary(deps: {
  db: Db;
  profile: CourtProfile;
  prepare?: () => Promise<void>;
  log?: Logger;
  checkEveryMs?: number;
}): FaqLibrary {
  const checkEvery = deps.checkEveryMs ?? FAQ_CHECK_MS;
  let search: FaqSearches | undefined;
  let loadedCount: number | null = null;
  let checkedAt = 0;
  let prepared = false;
  // One read of the database at a time; a reload waits for the one under way and then reads again.
  let queue: Promise<unknown> = Promise.resolve();
  let pending: Promise<FaqSearches> | null = null;

  async function check(): Promise<FaqSearches> {
    if (!prepared) {
      await deps.prepare?.();
      prepared = true;
    }
    const count = await readChangeCount(deps.db);
    checkedAt = Date.now();
    if (search && count === loadedCount) return search;
    // The counter is read first: a change committed after it is found by the next check.
    const [sources, synonyms] = await Promise.all([
      publishedSources(deps.db),
      Promise.all(FAQ_LANGUAGES.map((language) => listSynonyms(deps.db, language))),
    ]);
    const built = {} as FaqSearches;
    FAQ_LANGUAGES.forEach((language, i) => {
      const own = sources.filter((s) => s.language === language);
      built[language] = searchOver(own, rowsToGroups(synonyms[i]), deps.profile, language);
    });
    search = built;
    if (loadedCount !== null)
      deps.log?.info({ answers: search.en.size, spanishAnswers: search.es.size }, 'FAQ index rebuilt after a change');
    loadedCount = count;
    return search;
  }

  function enqueue(): Promise<FaqSearches> {
    const run = queue.then(check, check);
    queue = run.catch(() => undefined);
    return run;
  }

  function fresh(language: AnswerLanguage = 'en'): Promise<FaqSearch> {
    return freshAll().then((all) => all[language]);
  }

  function freshAll(): Promise<FaqSearches> {
    if (search && Date.now() - checkedAt < checkEvery) return Promise.resolve(search);
    pending ??= enqueue().finally(() => (pending = null));
    return pending.catch((error: unknown) => {
      // The database did not answer: the index already built still serves.
      if (!search) throw error;
      checkedAt = Date.now();
      deps.log?.warn({ err: error }, 'could not check the FAQ for changes; the index in memory still serves');
      return search;
    });
  }

  return {
    current(language = 'en') {
      if (Date.now() - checkedAt >= checkEvery) void freshAll().catch(() => undefined);
      if (search) return search[language];
      // Entry points load it first (server start, mail:poll, mail:import); until then, no answers.
      deps.log?.warn('the FAQ was read before it was loaded: no answers suggested this time');
      return (emptySearch ??= createFaqSearch([], []));
    },
    fresh,
    freshNow: (language = 'en') => (search && Date.now() - checkedAt < checkEvery ? search[language] : undefined),
    reload: () => enqueue().then((all) => all.en),
    close() {
      // Nothing runs in the background between checks.
    },
  };
}

/** A library over a fixed index (and a Spanish one, empty unless given), for tests that read the FAQ from files rather than a database. */
export function fixedFaqLibrary(search: FaqSearch, spanish?: FaqSearch): FaqLibrary {
  const of = (language: AnswerLanguage = 'en') =>
    language === 'es' ? (spanish ??= createFaqSearch([], [], spanishWords)) : search;
  return {
    current: of,
    fresh: async (language) => of(language),
    freshNow: of,
    reload: async () => search,
    close: () => {},
  };
}

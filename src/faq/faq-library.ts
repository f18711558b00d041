import { watch, type FSWatcher } from 'node:fs';
import type { CourtProfile } from '../config/court-profile';
import type { Logger } from '../logger';
import { loadFaqAnswers } from './faq-content';
import { createFaqSearch, type FaqSearch } from './faq-search';

export interface FaqLibrary {
  /** The current index; replaced when the content changes in development. */
  current(): FaqSearch;
  close(): void;
}

/**
 * Loads `faq-content/` and builds the Lunr index at start: the FAQ is small, so building it is quick
 * and there is no prebuilt index to keep in step. With `watch`, rebuilds on change.
 */
export function openFaqLibrary(dir: string, profile: CourtProfile, options: { watch?: boolean; log?: Logger } = {}): FaqLibrary {
  let search = createFaqSearch(loadFaqAnswers(dir, profile));
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.watch) {
    watcher = watch(dir, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          search = createFaqSearch(loadFaqAnswers(dir, profile));
          options.log?.info({ answers: search.size }, 'FAQ index rebuilt');
        } catch (error) {
          options.log?.warn({ err: error }, 'FAQ content has a problem; keeping the previous index');
        }
      }, 200);
    });
  }
  return {
    current: () => search,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** A library opened on first use: command-line mail intake needs the index only when it acknowledges. */
export function lazyFaqLibrary(open: () => FaqLibrary): FaqLibrary {
  let library: FaqLibrary | undefined;
  return {
    current: () => (library ??= open()).current(),
    close: () => library?.close(),
  };
}

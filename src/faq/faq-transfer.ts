import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditService } from '../audit/audit.service';
import type { Db } from '../db/knex';
import { checkAnswerSource, type FrontMatter } from './faq-answer-check';
import * as repo from './faq-answers.repository';
import type { AnswerLanguage } from './faq-answers.repository';
import { readAnswerFiles, type AnswerFile } from './faq-content';
import { formatSynonymsYaml, parseSynonymsYaml, type SynonymGroup } from './faq-synonyms';

/**
 * The FAQ in and out of the database as Markdown files (SPEC §11): faq-content/ fills an empty
 * database on the first start; `faq:import` and `faq:export` move answers both ways. A version keeps
 * its file byte for byte, so export → import → export gives the same files, and exporting a database
 * filled from faq-content/ gives back its answer files exactly. Synonyms go as synonyms.yaml, written
 * in one fixed form (the same table always gives the same file). Spanish answers (SPEC §14) are the
 * folder `es/` inside, with the English ids and their own synonyms.yaml.
 */

export const SYNONYMS_FILE = 'synonyms.yaml';

/** The folder of Spanish answers inside an FAQ folder. */
export const SPANISH_DIR = 'es';

/** An answer file read and checked: its front matter, when valid. */
interface CheckedFile extends AnswerFile {
  frontMatter?: FrontMatter;
}

/** A folder's answers and synonyms, with every problem found (file name first). */
export interface FaqFolder {
  files: CheckedFile[];
  synonyms: SynonymGroup[] | null;
  problems: string[];
}

/**
 * Reads and checks a folder of answers: front matter, ids equal to file names, links (to answers in
 * the folder or in `known`). `english`, for a folder of Spanish answers: the English ids, which every
 * Spanish answer needs and which its links and related answers point to; `prefix` goes before each
 * file name in the problems ("es/").
 */
export function readFaqFolder(
  dir: string,
  known: Set<string> = new Set(),
  options: { english?: Set<string>; prefix?: string } = {},
): FaqFolder {
  const { english, prefix = '' } = options;
  const files = readAnswerFiles(dir);
  const ids = english ? english : new Set([...known, ...files.map((f) => f.file.replace(/\.md$/, ''))]);
  const problems: string[] = [];
  const checked = files.map((f) => {
    const { problems: found, frontMatter } = checkAnswerSource(f.source, (id) => ids.has(id));
    for (const problem of found) problems.push(`${prefix}${f.file}: ${problem.message}`);
    const id = f.file.replace(/\.md$/, '');
    if (frontMatter && frontMatter.id !== id)
      problems.push(`${prefix}${f.file}: id "${frontMatter.id}" differs from the file name`);
    if (english && !english.has(id))
      problems.push(`${prefix}${f.file}: there is no English answer "${id}"; a Spanish answer translates one`);
    return { ...f, frontMatter };
  });
  const synonymsPath = path.join(dir, SYNONYMS_FILE);
  let synonyms: SynonymGroup[] | null = null;
  if (existsSync(synonymsPath)) {
    try {
      synonyms = parseSynonymsYaml(readFileSync(synonymsPath, 'utf8'));
    } catch (error) {
      problems.push(`${prefix}${SYNONYMS_FILE}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return { files: checked, synonyms, problems };
}

/** An FAQ folder in both languages: the English answers, and the Spanish ones when `es/` is there. */
export interface FaqFolders {
  en: FaqFolder;
  es: FaqFolder | null;
  problems: string[];
}

const isFolder = (dir: string) => existsSync(dir) && statSync(dir).isDirectory();

/** Reads and checks `dir` and its `es/` folder; `known`: English ids already in the database. */
export function readFaqFolders(dir: string, known: Set<string> = new Set()): FaqFolders {
  const en = readFaqFolder(dir, known);
  const spanishDir = path.join(dir, SPANISH_DIR);
  const english = new Set([...known, ...en.files.map((f) => f.file.replace(/\.md$/, ''))]);
  const es = isFolder(spanishDir) ? readFaqFolder(spanishDir, new Set(), { english, prefix: `${SPANISH_DIR}/` }) : null;
  return { en, es, problems: [...en.problems, ...(es?.problems ?? [])] };
}

// The seed folder is read once per process for as long as its files stay the same (every test app
// starts from it).
let seedCache: { stamp: string; folders: FaqFolders } | undefined;

function folderStamp(dir: string): string {
  const own = readAnswerFiles(dir)
    .map((f) => f.file)
    .concat(existsSync(path.join(dir, SYNONYMS_FILE)) ? [SYNONYMS_FILE] : [])
    .map((file) => {
      const stat = statSync(path.join(dir, file));
      return `${file}:${stat.size}:${stat.mtimeMs}`;
    })
    .join('|');
  const spanishDir = path.join(dir, SPANISH_DIR);
  return isFolder(spanishDir) ? `${own}|${SPANISH_DIR}/${folderStamp(spanishDir)}` : own;
}

/** Who brought answers in: `seed` (faq-content/ at first start), `cli` (faq:import), or a staff member. */
export interface Publisher {
  by: string;
  byName: string | null;
}

/**
 * Fills a database that has never had answers from `dir` (faq-content/), once: of several processes
 * starting together, one does it and the others find it done. Throws when the folder has problems
 * (the server does not start on broken content; faq:check says what to fix). True when it filled.
 */
export async function seedFromFolder(db: Db, dir: string, now: () => Date = () => new Date()): Promise<boolean> {
  const stamp = folderStamp(dir);
  if (seedCache?.stamp !== stamp) seedCache = { stamp, folders: readFaqFolders(dir) };
  const { en, es, problems } = seedCache.folders;
  if (problems.length > 0)
    throw new Error(`The FAQ answers in ${dir} have problems (run npx helpdesk faq:check): ${problems.slice(0, 3).join('; ')}`);
  return db.transaction(async (trx) => {
    const at = now().toISOString();
    if (!(await repo.claimFirstFill(trx, at))) return false;
    for (const [language, folder] of [
      ['en', en],
      ['es', es],
    ] as const) {
      if (!folder) continue;
      await seedAnswers(trx, folder.files, language, at);
      if (folder.synonyms) await repo.replaceSynonyms(trx, folder.synonyms, language);
    }
    await repo.bumpChangeCount(trx);
    return true;
  });
}

/** Version 1 of each answer of one language, published by `seed`. */
async function seedAnswers(trx: Db, files: CheckedFile[], language: AnswerLanguage, at: string): Promise<void> {
  for (let i = 0; i < files.length; i += 50) {
    const chunk = files.slice(i, i + 50);
    await trx('faq_answers').insert(
      chunk.map((f) => ({ id: (f.frontMatter as FrontMatter).id, language, published_number: 1, created_at: at })),
    );
    await trx('faq_versions').insert(
      chunk.map((f) => {
        const fm = f.frontMatter as FrontMatter;
        return {
          answer_id: fm.id,
          language,
          number: 1,
          source: f.source,
          title: fm.title,
          category: fm.category,
          published_by: 'seed',
          published_at: at,
        };
      }),
    );
  }
}

export interface ImportResult {
  added: string[];
  changed: string[];
  unchanged: string[];
  synonyms: 'replaced' | 'unchanged' | 'none';
  /** The Spanish answers of `es/`, when the folder has one. */
  spanish?: Omit<ImportResult, 'spanish'>;
}

type LanguageResult = Omit<ImportResult, 'spanish'>;

/**
 * `faq:import DIR`: every answer file in `dir` (and in `dir/es/`, the Spanish versions) becomes the
 * published version of its answer (a new version when it differs from the published one; nothing
 * when it is the same). All or nothing: a folder with any problem changes nothing, and the problems
 * are returned.
 */
export async function importFolder(
  db: Db,
  dir: string,
  publisher: Publisher,
  deps: { now?: () => Date; audit?: AuditService } = {},
): Promise<{ problems: string[]; result?: ImportResult }> {
  const now = deps.now ?? (() => new Date());
  const folders = readFaqFolders(dir, await repo.answerIds(db));
  if (folders.problems.length > 0) return { problems: folders.problems };
  const newResult = (folder: FaqFolder): LanguageResult => ({
    added: [],
    changed: [],
    unchanged: [],
    synonyms: folder.synonyms ? 'unchanged' : 'none',
  });
  const result: ImportResult = newResult(folders.en);
  if (folders.es) result.spanish = newResult(folders.es);
  await db.transaction(async (trx) => {
    const at = now().toISOString();
    await repo.claimFirstFill(trx, at);
    await importLanguage(trx, folders.en, 'en', result, publisher, at);
    if (folders.es && result.spanish) await importLanguage(trx, folders.es, 'es', result.spanish, publisher, at);
    const moved = (r: LanguageResult | undefined) => !!r && (r.added.length + r.changed.length > 0 || r.synonyms === 'replaced');
    if (moved(result) || moved(result.spanish)) {
      await repo.bumpChangeCount(trx);
      await deps.audit?.record(
        {
          actor: 'cli',
          action: 'faq.published',
          details: {
            imported: [...result.added, ...result.changed],
            synonyms: result.synonyms === 'replaced',
            ...(result.spanish
              ? {
                  importedSpanish: [...result.spanish.added, ...result.spanish.changed],
                  spanishSynonyms: result.spanish.synonyms === 'replaced',
                }
              : {}),
          },
        },
        trx,
      );
    }
  });
  return { problems: [], result };
}

/** The answers and synonyms of one language of an import. */
async function importLanguage(
  trx: Db,
  folder: FaqFolder,
  language: AnswerLanguage,
  result: LanguageResult,
  publisher: Publisher,
  at: string,
): Promise<void> {
  for (const file of folder.files) {
    const fm = file.frontMatter as FrontMatter;
    const existing = await repo.findAnswer(trx, fm.id, language);
    if (existing?.source === file.source) {
      result.unchanged.push(fm.id);
      continue;
    }
    if (!existing) await repo.insertAnswer(trx, fm.id, at, language);
    const previous = existing?.published_number ?? null;
    const version = {
      answerId: fm.id,
      language,
      number: (previous ?? 0) + 1,
      source: file.source,
      title: fm.title,
      category: fm.category,
    };
    if (!(await repo.publishVersion(trx, { ...version, ...publisher, at }, previous)))
      throw new Error(`${file.file}: someone published this answer during the import; run it again`);
    (existing ? result.changed : result.added).push(fm.id);
  }
  if (folder.synonyms) {
    const current = await repo.listSynonyms(trx, language);
    const sorted = [...folder.synonyms].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    if (JSON.stringify(current) !== JSON.stringify(sorted)) {
      await repo.replaceSynonyms(trx, folder.synonyms, language);
      result.synonyms = 'replaced';
    }
  }
}

/**
 * `faq:export DIR`: the published version of every answer as `<id>.md`, exactly as stored, and the
 * synonyms as synonyms.yaml; the Spanish ones the same way in `DIR/es/`. Drafts are not exported.
 * Files of the same names are replaced; nothing else in the folder is touched.
 */
export async function exportFolder(
  db: Db,
  dir: string,
): Promise<{ answers: number; synonyms: number; spanishAnswers: number; spanishSynonyms: number }> {
  const [sources, synonyms, spanishSynonyms] = await Promise.all([
    repo.publishedSources(db),
    repo.listSynonyms(db, 'en'),
    repo.listSynonyms(db, 'es'),
  ]);
  const write = (folder: string, language: AnswerLanguage, groups: SynonymGroup[]) => {
    const own = sources.filter((s) => s.language === language);
    if (own.length === 0 && groups.length === 0) return 0;
    mkdirSync(folder, { recursive: true });
    for (const { id, source } of own) writeFileSync(path.join(folder, `${id}.md`), source);
    if (groups.length > 0) writeFileSync(path.join(folder, SYNONYMS_FILE), formatSynonymsYaml(groups));
    return own.length;
  };
  mkdirSync(dir, { recursive: true });
  const answers = write(dir, 'en', synonyms);
  const spanishAnswers = write(path.join(dir, SPANISH_DIR), 'es', spanishSynonyms);
  return { answers, synonyms: synonyms.length, spanishAnswers, spanishSynonyms: spanishSynonyms.length };
}

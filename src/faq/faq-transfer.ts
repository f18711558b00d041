import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditService } from '../audit/audit.service';
import type { Db } from '../db/knex';
import { checkAnswerSource, type FrontMatter } from './faq-answer-check';
import * as repo from './faq-answers.repository';
import { readAnswerFiles, type AnswerFile } from './faq-content';
import { formatSynonymsYaml, parseSynonymsYaml, type SynonymGroup } from './faq-synonyms';

/**
 * The FAQ in and out of the database as Markdown files (SPEC §11): faq-content/ fills an empty
 * database on the first start; `faq:import` and `faq:export` move answers both ways. A version keeps
 * its file byte for byte, so export → import → export gives the same files, and exporting a database
 * filled from faq-content/ gives back its answer files exactly. Synonyms go as synonyms.yaml, written
 * in one fixed form (the same table always gives the same file).
 */

export const SYNONYMS_FILE = 'synonyms.yaml';

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

/** Reads and checks a folder of answers: front matter, ids equal to file names, links (to answers in the folder or in `known`). */
export function readFaqFolder(dir: string, known: Set<string> = new Set()): FaqFolder {
  const files = readAnswerFiles(dir);
  const ids = new Set([...known, ...files.map((f) => f.file.replace(/\.md$/, ''))]);
  const problems: string[] = [];
  const checked = files.map((f) => {
    const { problems: found, frontMatter } = checkAnswerSource(f.source, (id) => ids.has(id));
    for (const problem of found) problems.push(`${f.file}: ${problem.message}`);
    if (frontMatter && frontMatter.id !== f.file.replace(/\.md$/, ''))
      problems.push(`${f.file}: id "${frontMatter.id}" differs from the file name`);
    return { ...f, frontMatter };
  });
  const synonymsPath = path.join(dir, SYNONYMS_FILE);
  let synonyms: SynonymGroup[] | null = null;
  if (existsSync(synonymsPath)) {
    try {
      synonyms = parseSynonymsYaml(readFileSync(synonymsPath, 'utf8'));
    } catch (error) {
      problems.push(`${SYNONYMS_FILE}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return { files: checked, synonyms, problems };
}

// The seed folder is read once per process for as long as its files stay the same (every test app
// starts from it).
let seedCache: { stamp: string; folder: FaqFolder } | undefined;

function folderStamp(dir: string): string {
  return readAnswerFiles(dir)
    .map((f) => f.file)
    .concat(existsSync(path.join(dir, SYNONYMS_FILE)) ? [SYNONYMS_FILE] : [])
    .map((file) => {
      const stat = statSync(path.join(dir, file));
      return `${file}:${stat.size}:${stat.mtimeMs}`;
    })
    .join('|');
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
  if (seedCache?.stamp !== stamp) seedCache = { stamp, folder: readFaqFolder(dir) };
  const { files, synonyms, problems } = seedCache.folder;
  if (problems.length > 0)
    throw new Error(`The FAQ answers in ${dir} have problems (run npx helpdesk faq:check): ${problems.slice(0, 3).join('; ')}`);
  return db.transaction(async (trx) => {
    const at = now().toISOString();
    if (!(await repo.claimFirstFill(trx, at))) return false;
    for (let i = 0; i < files.length; i += 50) {
      const chunk = files.slice(i, i + 50);
      await trx('faq_answers').insert(
        chunk.map((f) => ({ id: (f.frontMatter as FrontMatter).id, published_number: 1, created_at: at })),
      );
      await trx('faq_versions').insert(
        chunk.map((f) => {
          const fm = f.frontMatter as FrontMatter;
          return {
            answer_id: fm.id,
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
    if (synonyms) await repo.replaceSynonyms(trx, synonyms);
    await repo.bumpChangeCount(trx);
    return true;
  });
}

export interface ImportResult {
  added: string[];
  changed: string[];
  unchanged: string[];
  synonyms: 'replaced' | 'unchanged' | 'none';
}

/**
 * `faq:import DIR`: every answer file in `dir` becomes the published version of its answer (a new
 * version when it differs from the published one; nothing when it is the same). All or nothing: a
 * folder with any problem changes nothing, and the problems are returned.
 */
export async function importFolder(
  db: Db,
  dir: string,
  publisher: Publisher,
  deps: { now?: () => Date; audit?: AuditService } = {},
): Promise<{ problems: string[]; result?: ImportResult }> {
  const now = deps.now ?? (() => new Date());
  const folder = readFaqFolder(dir, await repo.answerIds(db));
  if (folder.problems.length > 0) return { problems: folder.problems };
  const result: ImportResult = { added: [], changed: [], unchanged: [], synonyms: folder.synonyms ? 'unchanged' : 'none' };
  await db.transaction(async (trx) => {
    const at = now().toISOString();
    await repo.claimFirstFill(trx, at);
    for (const file of folder.files) {
      const fm = file.frontMatter as FrontMatter;
      const existing = await repo.findAnswer(trx, fm.id);
      if (existing?.source === file.source) {
        result.unchanged.push(fm.id);
        continue;
      }
      if (!existing) await repo.insertAnswer(trx, fm.id, at);
      const previous = existing?.published_number ?? null;
      const version = {
        answerId: fm.id,
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
      const current = await repo.listSynonyms(trx);
      const sorted = [...folder.synonyms].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
      if (JSON.stringify(current) !== JSON.stringify(sorted)) {
        await repo.replaceSynonyms(trx, folder.synonyms);
        result.synonyms = 'replaced';
      }
    }
    if (result.added.length + result.changed.length > 0 || result.synonyms === 'replaced') {
      await repo.bumpChangeCount(trx);
      await deps.audit?.record(
        {
          actor: 'cli',
          action: 'faq.published',
          details: { imported: [...result.added, ...result.changed], synonyms: result.synonyms === 'replaced' },
        },
        trx,
      );
    }
  });
  return { problems: [], result };
}

/**
 * `faq:export DIR`: the published version of every answer as `<id>.md`, exactly as stored, and the
 * synonyms as synonyms.yaml. Drafts are not exported. Files of the same names are replaced; nothing
 * else in the folder is touched.
 */
export async function exportFolder(db: Db, dir: string): Promise<{ answers: number; synonyms: number }> {
  const [sources, synonyms] = await Promise.all([repo.publishedSources(db), repo.listSynonyms(db)]);
  mkdirSync(dir, { recursive: true });
  for (const { id, source } of sources) writeFileSync(path.join(dir, `${id}.md`), source);
  if (synonyms.length > 0) writeFileSync(path.join(dir, SYNONYMS_FILE), formatSynonymsYaml(synonyms));
  return { answers: sources.length, synonyms: synonyms.length };
}

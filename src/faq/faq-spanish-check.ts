import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkAnswerSource, PLACEHOLDER } from './faq-answer-check';
import { parseSource } from './faq-document';
import { parseSynonyms } from './search-synonyms';

/** The placeholders and the links to other answers in an answer's body: a translation keeps both. */
function factsOf(source: string): { placeholders: string[]; links: string[] } {
  const { body } = parseSource(source);
  const placeholders = [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
  const links = [...new Set([...body.matchAll(/\]\(\/faq\/([a-z0-9-]+)/g)].map((m) => m[1]))].sort();
  return { placeholders, links };
}

/** One Markdown file of an FAQ folder, as written (see faq-content.ts). */
interface AnswerFile {
  file: string;
  source: string;
}

// Read here rather than through faq-content.ts, which calls this module.
const readAnswerFiles = (dir: string): AnswerFile[] =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file.toLowerCase() !== 'readme.md')
    .sort()
    .map((file) => ({ file, source: readFileSync(path.join(dir, file), 'utf8') }));

const differs = (a: string[], b: string[]) => a.join(' ') !== b.join(' ');

/**
 * Every problem in the Spanish answers of an FAQ folder (`<dir>/es/`, SPEC §14): each one's own
 * checks, an English answer for each Spanish one and a Spanish one for each English one, the same
 * placeholders (the court's facts) and the same links to other answers as the English version, and
 * the Spanish synonyms. Nothing when the folder has no `es/`.
 */
export function checkSpanishContent(dir: string, english: AnswerFile[]): string[] {
  const spanishDir = path.join(dir, 'es');
  if (!existsSync(spanishDir) || !statSync(spanishDir).isDirectory()) return [];
  const problems: string[] = [];
  const englishById = new Map(english.map((f) => [f.file.replace(/\.md$/, ''), f]));
  const spanish = readAnswerFiles(spanishDir);
  const spanishIds = new Set(spanish.map((f) => f.file.replace(/\.md$/, '')));
  for (const { file, source } of spanish) {
    const where = `faq-content/es/${file}`;
    const id = file.replace(/\.md$/, '');
    const { problems: found, frontMatter } = checkAnswerSource(source, (other) => englishById.has(other));
    for (const problem of found) problems.push(`${where}: ${problem.message}`);
    if (frontMatter && frontMatter.id !== id) problems.push(`${where}: id "${frontMatter.id}" differs from the file name`);
    const original = englishById.get(id);
    if (!original) {
      problems.push(`${where}: there is no English answer "${id}"; a Spanish answer translates one`);
      continue;
    }
    const mine = factsOf(source);
    const theirs = factsOf(original.source);
    if (differs(mine.placeholders, theirs.placeholders))
      problems.push(
        `${where}: uses the placeholders [${mine.placeholders.join(', ')}], the English answer [${theirs.placeholders.join(', ')}]`,
      );
    if (differs(mine.links, theirs.links))
      problems.push(
        `${where}: links to the answers [${mine.links.join(', ')}], the English answer to [${theirs.links.join(', ')}]`,
      );
  }
  for (const id of englishById.keys())
    if (!spanishIds.has(id)) problems.push(`faq-content/es/${id}.md: the Spanish version of "${id}" is missing`);
  const synonyms = path.join(spanishDir, 'synonyms.yaml');
  if (existsSync(synonyms)) {
    try {
      parseSynonyms(readFileSync(synonyms, 'utf8'));
    } catch (error) {
      problems.push(`faq-content/es/synonyms.yaml: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

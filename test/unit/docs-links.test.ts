import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The README and docs/ must stand on their own: a clone of the repository is all a reader has. These
// checks read the pages and the sources as text, so that a command, a variable or an endpoint added
// without its documentation fails here, and the pages are updated with the code.

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** README.md and every Markdown page under docs/, as paths from the repository root. */
function pages(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** The text without fenced code blocks (``` or ~~~), where nothing is a link. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
}

/** Every link and image target: inline `[text](target "title")`, `<target>` forms, reference definitions. */
function linkTargets(markdown: string): string[] {
  const text = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '');
  const inline = [...text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const references = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)].map((m) => m[1]);
  return [...inline, ...references].map((target) => target.replace(/^<|>$/g, ''));
}

/** The heading anchors GitHub makes for a page: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

const insideRepository = (absolute: string) => absolute === ROOT || absolute.startsWith(ROOT + path.sep);

/** What is wrong with the links and paths of one page. */
function linkProblems(page: string): string[] {
  const markdown = read(page);
  const dir = path.dirname(path.join(ROOT, page));
  const problems: string[] = [];

  // Any path that climbs out of the repository, in a link, in code or in prose.
  for (const [climb] of markdown.matchAll(/(?<![\w.])(?:\.\.\/)+[^\s)\]`'"<>]*/g)) {
    if (!insideRepository(path.resolve(dir, climb))) problems.push(`${page}: ${climb} points outside the repository`);
  }

  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [pathPart, anchor] = target.split('#', 2);
    const file =
      pathPart === '' ? path.join(ROOT, page) : path.resolve(pathPart.startsWith('/') ? ROOT : dir, decodeURI(pathPart));
    if (!insideRepository(file)) {
      problems.push(`${page}: link ${target} points outside the repository`);
    } else if (!existsSync(file)) {
      problems.push(`${page}: link ${target}: ${path.relative(ROOT, file)} does not exist`);
    } else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
      problems.push(`${page}: link ${target}: no heading "${anchor}" in ${path.relative(ROOT, file)}`);
    }
  }

  // Repository paths written as code (`src/http/routes.ts`) must exist too; patterns (*, <name>) are skipped.
  const code = withoutCodeBlocks(markdown).matchAll(/`([^`\n]+)`/g);
  for (const [, span] of code) {
    if (!/^(?:src|docs|profiles|test|scripts|policy|migrations|views|faq-content|public|bin)\/[\w./-]*$/.test(span)) continue;
    if (!existsSync(path.join(ROOT, span))) problems.push(`${page}: ${span} does not exist`);
  }
  return problems;
}

/** The text of `const NAME … = …{` up to its closing `});` or `};` line, from a source file. */
function objectLiteral(source: string, declaration: RegExp, file: string): string {
  const start = source.search(declaration);
  assert.ok(start >= 0, `${file}: cannot find ${String(declaration)}`);
  const ends = ['\n});', '\n};'].map((closing) => source.indexOf(closing, start)).filter((at) => at >= 0);
  assert.ok(ends.length > 0, `${file}: cannot find the end of ${String(declaration)}`);
  return source.slice(start, Math.min(...ends));
}

/** The environment variables the configuration schema reads (src/config/index.ts). */
function configVariables(): string[] {
  const file = 'src/config/index.ts';
  const source = read(file);
  const schema = objectLiteral(source, /const envSchema\s*=/, file);
  const keys = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+)\s*:/gm)].map((m) => m[1]);
  const direct = [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]);
  const names = [...new Set([...keys, ...direct])].sort();
  assert.ok(names.includes('PORT') && names.includes('DATABASE_URL'), `${file}: the variables could not be read`);
  return names;
}

/** Every `.ts` file under a folder of the repository, as paths from the root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.isFile() && entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The commands of `helpdesk` (the keys of COMMANDS in src/cli/index.ts). */
function cliCommands(): string[] {
  const file = 'src/cli/index.ts';
  const table = objectLiteral(read(file), /const COMMANDS\b[^=]*=/, file);
  const names = [...table.matchAll(/^ {2}(?:'([^']+)'|"([^"]+)"|([A-Za-z][\w-]*))\s*:\s*\{/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
  assert.ok(names.includes('user:add') && names.includes('db:migrate'), `${file}: the commands could not be read`);
  return names;
}

/** The JSON and operations endpoints of the route table, as `METHOD /path`. */
function apiEndpoints(): string[] {
  const source = read('src/http/routes.ts');
  const api = [...source.matchAll(/\bapi\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)].map(
    (m) => `${m[1].toUpperCase()} /api${m[2]}`,
  );
  const unlogged = [...source.matchAll(/\bunlogged\.(get|post)\(\s*'([^']+)'/g)].map((m) => `${m[1].toUpperCase()} ${m[2]}`);
  const endpoints = [...new Set([...api, ...unlogged])];
  assert.ok(endpoints.includes('POST /api/tickets'), 'src/http/routes.ts: the endpoints could not be read');
  return endpoints;
}

const mentions = (text: string, name: string) =>
  new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text);

describe('documentation', () => {
  it('links and paths stay inside the repository and lead to files that exist', () => {
    const problems = pages().flatMap(linkProblems);
    assert.deepEqual(problems, []);
  });

  it('the README links every page of docs/', () => {
    const readme = read('README.md');
    const missing = pages()
      .filter((page) => page.startsWith('docs/'))
      .filter((page) => !readme.includes(`](${page}`));
    assert.deepEqual(missing, []);
  });

  it('every environment variable of the configuration is in docs/configuration.md and .env.example', () => {
    const configuration = read('docs/configuration.md');
    const example = read('.env.example');
    const missing = configVariables().flatMap((name) => [
      ...(mentions(configuration, name) ? [] : [`${name} is not in docs/configuration.md`]),
      ...(mentions(example, name) ? [] : [`${name} is not in .env.example`]),
    ]);
    assert.deepEqual(missing, []);
  });

  it('every variable the sources read from the environment (env.NAME) is named somewhere in docs/', () => {
    const docs = pages()
      .filter((page) => page.startsWith('docs/'))
      .map(read)
      .join('\n');
    const names = sourceFiles('src').flatMap((file) => [...read(file).matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    const missing = [...new Set(names)].filter((name) => !mentions(docs, name)).sort();
    assert.deepEqual(missing, []);
  });

  it('every command of helpdesk has its heading in docs/cli.md', () => {
    const headings = [...read('docs/cli.md').matchAll(/^#{2,4}\s+(.+)$/gm)].map((m) => m[1]).join('\n');
    const missing = cliCommands().filter((name) => !mentions(headings, name));
    assert.deepEqual(missing, []);
  });

  it('every JSON endpoint and operations endpoint is in docs/api.md', () => {
    const api = read('docs/api.md');
    const missing = apiEndpoints().filter((endpoint) => !api.includes(endpoint));
    assert.deepEqual(missing, []);
  });
});

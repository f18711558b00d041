import { parse as parseYaml } from 'yaml';

/**
 * An FAQ answer as a Markdown file: YAML front matter between `---` lines, then the body (SPEC §4,
 * faq-content/README.md). The database keeps each version as this text, byte for byte, so that
 * `faq:export` writes back exactly what `faq:import` (or faq-content/) brought in.
 */

/** The front matter's fields, as an editor fills them in. */
export interface AnswerFields {
  id: string;
  title: string;
  category: string;
  keywords: string[];
  /** "People ask": whole questions as filers write them. */
  asks: string[];
  related: string[];
}

/** A source split into its front matter (parsed, or undefined when missing or not YAML) and body. */
export interface ParsedSource {
  frontMatter: unknown;
  body: string;
}

const DOCUMENT = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Splits a Markdown file into front matter and body; the whole text is the body when there is no front matter. */
export function parseSource(source: string): ParsedSource {
  const match = DOCUMENT.exec(source);
  if (!match) return { frontMatter: undefined, body: source };
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(match[1]);
  } catch {
    frontMatter = undefined;
  }
  return { frontMatter, body: match[2] };
}

// A word or phrase that YAML reads back as the same string when written bare inside [ … ]: letters,
// digits, spaces and a little punctuation, not starting with a character YAML treats specially, and
// not a word YAML reads as something else (true, null, 1.5…).
const PLAIN_IN_FLOW = /^[\p{L}\p{N}][\p{L}\p{N} '/.&()+-]*$/u;
const NOT_A_STRING = /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+)$/i;

function scalarInFlow(value: string): string {
  return PLAIN_IN_FLOW.test(value) && !NOT_A_STRING.test(value) && !/ $/.test(value) ? value : JSON.stringify(value);
}

const quoted = (value: string) => JSON.stringify(value);

/**
 * The Markdown file for these fields and body, written the way faq-content/ is: the title quoted,
 * keywords and related answers as [ … ] lists, "people ask" one per line. Line endings become \n and
 * the body ends with exactly one newline. (JSON's double-quoted strings are valid YAML.)
 */
export function formatSource(fields: AnswerFields, body: string): string {
  const lines = ['---', `id: ${fields.id}`, `title: ${quoted(fields.title)}`, `category: ${fields.category}`];
  lines.push(`keywords: [${fields.keywords.map(scalarInFlow).join(', ')}]`);
  if (fields.asks.length > 0) {
    lines.push('asks:');
    for (const ask of fields.asks) lines.push(`  - ${quoted(ask)}`);
  }
  if (fields.related.length > 0) lines.push(`related: [${fields.related.join(', ')}]`);
  lines.push('---');
  const text = body.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  return `${lines.join('\n')}\n${text}\n`;
}

/** The fields of a parsed front matter, as far as they are there (for filling in the edit form). */
export function fieldsOf(frontMatter: unknown): AnswerFields {
  const fm = (frontMatter && typeof frontMatter === 'object' ? frontMatter : {}) as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const list = (value: unknown) => (Array.isArray(value) ? value.map(text) : []);
  return {
    id: text(fm.id),
    title: text(fm.title),
    category: text(fm.category),
    keywords: list(fm.keywords),
    asks: list(fm.asks),
    related: list(fm.related),
  };
}

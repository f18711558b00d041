import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { clockTime, describeWeeklyHours, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';

export const FAQ_CATEGORIES = [
  'About CM/ECF',
  'Accounts and access',
  'Keeping your account current',
  'Notices of Electronic Filing',
  'Filing',
  'Fees and summons',
  'Getting help',
] as const;

const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens'),
    title: z.string().min(5),
    category: z.enum(FAQ_CATEGORIES),
    keywords: z.array(z.string().min(1)).min(1),
    related: z.array(z.string()).optional(),
  })
  .strict();

/** One FAQ answer, ready to show: placeholders filled in, Markdown rendered and sanitised. */
export interface FaqAnswer {
  id: string;
  title: string;
  category: string;
  keywords: string[];
  related: string[];
  html: string;
  /** The answer as plain text, for the index and snippets. */
  text: string;
}

export const PLACEHOLDERS = ['court.name', 'helpdesk.email', 'helpdesk.phone', 'hours', 'timezone', 'maintenance'] as const;

const DAY_PLURALS: Record<string, string> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

/** The value of each placeholder for this court, from its profile. */
export function placeholderValues(profile: CourtProfile): Record<(typeof PLACEHOLDERS)[number], string> {
  const hours = describeWeeklyHours(profile).map((line) => `${line.days}, ${line.hours}`);
  const maintenance = profile.maintenance.map((m) => `${DAY_PLURALS[m.day]} from ${clockTime(m.start)} to ${clockTime(m.end)}`);
  return {
    'court.name': profile.court.name,
    'helpdesk.email': profile.helpdesk.email,
    'helpdesk.phone': profile.helpdesk.phone,
    hours: hours.join('; ') || 'by appointment',
    timezone: zoneName(profile.timezone),
    maintenance: maintenance.join(' and ') || 'no regular maintenance window',
  };
}

const PLACEHOLDER = /\{\{\s*([a-z.]+)\s*\}\}/g;

function fill(markdown: string, values: Record<string, string>): string {
  return markdown.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole);
}

interface RawAnswer {
  file: string;
  frontMatter: unknown;
  body: string;
}

function readRawAnswers(dir: string): RawAnswer[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file.toLowerCase() !== 'readme.md')
    .sort()
    .map((file) => {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
      if (!match) return { file, frontMatter: undefined, body: source };
      let frontMatter: unknown;
      try {
        frontMatter = parseYaml(match[1]);
      } catch {
        frontMatter = undefined;
      }
      return { file, frontMatter, body: match[2] };
    });
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'a',
    'code',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'br',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['https', 'mailto'],
  allowProtocolRelative: false,
  // Headings inside an answer sit below the page's h1 (title): shift them down one level.
  transformTags: { h1: 'h2', h2: 'h3', h3: 'h4' },
};

function toText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|h\d)>/g, '$& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads every answer in `dir` for this court. Throws when an answer's front matter is invalid (see faq:check). */
export function loadFaqAnswers(dir: string, profile: CourtProfile): FaqAnswer[] {
  const values = placeholderValues(profile);
  return readRawAnswers(dir).map(({ file, frontMatter, body }) => {
    const parsed = frontMatterSchema.safeParse(frontMatter);
    if (!parsed.success) throw new Error(`faq-content/${file}: invalid front matter (run npx helpdesk faq:check)`);
    const html = sanitizeHtml(marked.parse(fill(body, values), { async: false }), SANITIZE);
    return {
      id: parsed.data.id,
      title: fill(parsed.data.title, values),
      category: parsed.data.category,
      keywords: parsed.data.keywords,
      related: parsed.data.related ?? [],
      html,
      text: toText(html),
    };
  });
}

/**
 * Every problem in the FAQ folder: required answers missing or in the wrong category, front matter,
 * ids, links, placeholders, raw HTML. Empty when all is well.
 */
export function checkFaqContent(dir: string, required: Record<string, string[]> = {}): string[] {
  const problems: string[] = [];
  const raw = readRawAnswers(dir);
  const ids = new Set(raw.map((r) => r.file.replace(/\.md$/, '')));
  const categoryOf = new Map(
    raw.map((r) => [r.file.replace(/\.md$/, ''), (r.frontMatter as { category?: string } | undefined)?.category]),
  );
  for (const [category, requiredIds] of Object.entries(required)) {
    for (const id of requiredIds) {
      if (!ids.has(id)) problems.push(`faq-content/${id}.md: required answer is missing`);
      else if (categoryOf.get(id) !== category) problems.push(`faq-content/${id}.md: should be in category "${category}"`);
    }
  }
  for (const { file, frontMatter, body } of raw) {
    const where = `faq-content/${file}`;
    const parsed = frontMatterSchema.safeParse(frontMatter);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: front matter ${issue.path.join('.') || '(missing)'}: ${issue.message}`);
      continue;
    }
    if (parsed.data.id !== file.replace(/\.md$/, ''))
      problems.push(`${where}: id "${parsed.data.id}" differs from the file name`);
    for (const related of parsed.data.related ?? []) {
      if (!ids.has(related)) problems.push(`${where}: related answer "${related}" does not exist`);
    }
    for (const match of body.matchAll(/\]\(\/faq\/([^)#?\s]+)/g)) {
      if (!ids.has(match[1])) problems.push(`${where}: link to /faq/${match[1]}, which does not exist`);
    }
    for (const match of `${parsed.data.title}\n${body}`.matchAll(PLACEHOLDER)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(match[1])) problems.push(`${where}: unknown placeholder {{${match[1]}}}`);
    }
    if (/<\/?[a-z][^>]*>/i.test(body.replace(/`[^`]*`/g, ''))) problems.push(`${where}: raw HTML is not allowed; use Markdown`);
    if (body.trim().length < 40) problems.push(`${where}: the answer is too short`);
  }
  return problems;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { clockTime, dayPlural, describeWeeklyHours, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import { checkSpanishContent } from './faq-spanish-check';
import { parseSynonyms } from './search-synonyms';
import {
  checkAnswerSource,
  FAQ_CATEGORIES,
  PLACEHOLDER,
  PLACEHOLDERS,
  readAnswerSource,
  type FrontMatter,
} from './faq-answer-check';

export { FAQ_CATEGORIES, PLACEHOLDERS };

/** One FAQ answer, ready to show: placeholders filled in, Markdown rendered and sanitised. */
export interface FaqAnswer {
  id: string;
  title: string;
  category: string;
  keywords: string[];
  /** "People ask": phrasings filers use for this question (front matter `asks`); may be empty. */
  asks: string[];
  related: string[];
  html: string;
  /** The answer as plain text, for the index and snippets. */
  text: string;
}

/** The value of each placeholder for this court, from its profile, in the answer's language (English unless told). */
export function placeholderValues(
  profile: CourtProfile,
  language: 'en' | 'es' = 'en',
): Record<(typeof PLACEHOLDERS)[number], string> {
  if (language === 'es') return spanishPlaceholderValues(profile);
  const hours = describeWeeklyHours(profile).map((line) => `${line.days}, ${line.hours}`);
  const maintenance = profile.maintenance.map((m) => `${dayPlural(m.day)} from ${clockTime(m.start)} to ${clockTime(m.end)}`);
  return {
    'court.name': profile.court.name,
    'helpdesk.email': profile.helpdesk.email,
    'helpdesk.phone': profile.helpdesk.phone,
    hours: hours.join('; ') || 'by appointment',
    timezone: zoneName(profile.timezone),
    maintenance: maintenance.join(' and ') || 'no regular maintenance window',
  };
}

/** The placeholders for a Spanish answer: the same facts, in Spanish ("los sábados de 6:00 a.m. a 10:00 a.m."). */
function spanishPlaceholderValues(profile: CourtProfile): Record<(typeof PLACEHOLDERS)[number], string> {
  const hours = describeWeeklyHours(profile, 'es').map((line) => `${line.days}, ${line.hours}`);
  const maintenance = profile.maintenance.map(
    (m) => `los ${dayPlural(m.day, 'es')} de ${clockTime(m.start, 'es')} a ${clockTime(m.end, 'es')}`,
  );
  return {
    'court.name': profile.court.name,
    'helpdesk.email': profile.helpdesk.email,
    'helpdesk.phone': profile.helpdesk.phone,
    hours: hours.join('; ') || 'con cita previa',
    timezone: zoneName(profile.timezone, new Date(), 'es'),
    maintenance: maintenance.join(' y ') || 'no hay un horario fijo de mantenimiento',
  };
}

function fill(markdown: string, values: Record<string, string>): string {
  return markdown.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole);
}

/** One Markdown file of an FAQ folder, as written. */
export interface AnswerFile {
  /** The file name, `<id>.md`. */
  file: string;
  source: string;
}

/** Every answer file in `dir` (`*.md` but the README), by name. */
export function readAnswerFiles(dir: string): AnswerFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file.toLowerCase() !== 'readme.md')
    .sort()
    .map((file) => ({ file, source: readFileSync(path.join(dir, file), 'utf8') }));
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

/**
 * An answer ready to show, from its front matter (already checked) and Markdown body: placeholders
 * filled in for this court, the Markdown rendered and sanitised.
 */
export function renderAnswer(frontMatter: FrontMatter, body: string, values: Record<string, string>): FaqAnswer {
  const html = sanitizeHtml(marked.parse(fill(body, values), { async: false }), SANITIZE);
  return {
    id: frontMatter.id,
    title: fill(frontMatter.title, values),
    category: frontMatter.category,
    keywords: frontMatter.keywords,
    asks: frontMatter.asks ?? [],
    related: frontMatter.related ?? [],
    html,
    text: toText(html),
  };
}

/**
 * Reads every answer in `dir` for this court, in `language` (the placeholders' words: faq-content/es
 * is Spanish). Throws when an answer's front matter is invalid (see faq:check).
 */
export function loadFaqAnswers(dir: string, profile: CourtProfile, language: 'en' | 'es' = 'en'): FaqAnswer[] {
  const values = placeholderValues(profile, language);
  return readAnswerFiles(dir).map(({ file, source }) => {
    const { frontMatter, body } = readAnswerSource(source);
    if (!frontMatter) throw new Error(`faq-content/${file}: invalid front matter (run npx helpdesk faq:check)`);
    return renderAnswer(frontMatter, body, values);
  });
}

/**
 * Every problem in an FAQ folder: required answers missing or in the wrong category, front matter,
 * ids, links, placeholders, raw HTML; the same for the Spanish answers in `es/`, each matching an
 * English one. Empty when all is well.
 */
export function checkFaqContent(dir: string, required: Record<string, string[]> = {}): string[] {
  const problems: string[] = [];
  const files = readAnswerFiles(dir);
  const ids = new Set(files.map((f) => f.file.replace(/\.md$/, '')));
  const checked = files.map((f) => ({ ...f, ...checkAnswerSource(f.source, (id) => ids.has(id)) }));
  const categoryOf = new Map(checked.map((c) => [c.file.replace(/\.md$/, ''), c.frontMatter?.category]));
  for (const [category, requiredIds] of Object.entries(required)) {
    for (const id of requiredIds) {
      if (!ids.has(id)) problems.push(`faq-content/${id}.md: required answer is missing`);
      else if (categoryOf.get(id) !== category) problems.push(`faq-content/${id}.md: should be in category "${category}"`);
    }
  }
  for (const { file, frontMatter, problems: found } of checked) {
    const where = `faq-content/${file}`;
    for (const problem of found) problems.push(`${where}: ${problem.message}`);
    if (frontMatter && frontMatter.id !== file.replace(/\.md$/, ''))
      problems.push(`${where}: id "${frontMatter.id}" differs from the file name`);
  }
  const synonyms = path.join(dir, 'synonyms.yaml');
  if (existsSync(synonyms)) {
    try {
      parseSynonyms(readFileSync(synonyms, 'utf8'));
    } catch (error) {
      problems.push(`faq-content/synonyms.yaml: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  problems.push(...checkSpanishContent(dir, files));
  return problems;
}

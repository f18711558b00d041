import { marked, type Token } from 'marked';
import { z } from 'zod';
import { fieldsOf, parseSource } from './faq-document';

/** The categories answers are filed under (SPEC §4): a fixed list, in the order /faq shows them. */
export const FAQ_CATEGORIES = [
  'About CM/ECF',
  'Accounts and access',
  'Keeping your account current',
  'Notices of Electronic Filing',
  'Filing',
  'Fees and summons',
  'Getting help',
] as const;

/** The placeholders an answer may use, filled in from the court profile when it is shown. */
export const PLACEHOLDERS = ['court.name', 'helpdesk.email', 'helpdesk.phone', 'hours', 'timezone', 'maintenance'] as const;

export const PLACEHOLDER = /\{\{\s*([a-z.]+)\s*\}\}/g;

/** The longest answer body: the longest shipped answer is a few thousand characters. */
export const MAX_BODY_LENGTH = 20_000;

export const ANSWER_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const frontMatterSchema = z
  .object({
    id: z.string().max(100).regex(ANSWER_ID, 'must be lowercase words joined by hyphens'),
    title: z.string().min(5).max(300),
    category: z.enum(FAQ_CATEGORIES),
    keywords: z.array(z.string().min(1).max(100)).min(1).max(40),
    /** "People ask": whole questions as filers write them, one per item (indexed as their own field). */
    asks: z.array(z.string().min(1).max(300)).max(40).optional(),
    related: z.array(z.string()).max(10).optional(),
  })
  .strict();

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** The front matter of a stored source, when it is valid, and the body: no other check (for showing answers already checked). */
export function readAnswerSource(source: string): { frontMatter?: FrontMatter; body: string } {
  const { frontMatter, body } = parseSource(source);
  const parsed = frontMatterSchema.safeParse(frontMatter);
  return { frontMatter: parsed.success ? parsed.data : undefined, body };
}

/** One problem with an answer: the field it is in, a stable code, and a sentence for the editor. */
export interface AnswerProblem {
  field: 'front_matter' | 'id' | 'title' | 'category' | 'keywords' | 'asks' | 'related' | 'body';
  code: string;
  message: string;
}

/** Which answers exist, for related answers and links between answers. */
export type AnswerExists = (id: string) => boolean;

// A link in an answer goes to a secure web page, an email address, or a page of this site.
const SAFE_LINK = /^(?:https:\/\/|mailto:|\/(?!\/)|#)/i;

/** The targets of every link and picture in a Markdown body, as Markdown reads them (inline, reference, autolink). */
function linksIn(body: string): { links: string[]; images: number } {
  const links: string[] = [];
  let images = 0;
  const tokens = marked.lexer(body);
  marked.walkTokens(tokens, (token: Token) => {
    if (token.type === 'link') links.push(String(token.href));
    if (token.type === 'image') images += 1;
  });
  // Reference definitions that no link uses are still checked: an editor may use them later.
  for (const definition of Object.values((tokens as { links?: Record<string, { href: string }> }).links ?? {}))
    links.push(definition.href);
  return { links, images };
}

const FIELD_OF_PATH: Record<string, AnswerProblem['field']> = {
  id: 'id',
  title: 'title',
  category: 'category',
  keywords: 'keywords',
  asks: 'asks',
  related: 'related',
};

/**
 * Every problem with one answer's Markdown file: front matter, related answers and links to answers
 * that do not exist, unknown placeholders, raw HTML, unsafe links and pictures, length. The same rules
 * for faq:check, faq:import and the staff editor. `frontMatter` is set when the front matter is valid.
 */
export function checkAnswerSource(
  source: string,
  exists: AnswerExists,
): { problems: AnswerProblem[]; frontMatter?: FrontMatter; body: string } {
  const problems: AnswerProblem[] = [];
  const { frontMatter: raw, body } = parseSource(source);
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = FIELD_OF_PATH[key] ?? 'front_matter';
      const code = field === 'category' ? 'unknown_category' : issue.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid';
      problems.push({ field, code, message: `front matter ${issue.path.join('.') || '(missing)'}: ${issue.message}` });
    }
  }
  const frontMatter = parsed.success ? parsed.data : undefined;
  // Read from the front matter as written, so that each problem is found whatever else is wrong.
  const written = fieldsOf(raw);
  for (const related of written.related) {
    if (!exists(related))
      problems.push({ field: 'related', code: 'unknown_answer', message: `related answer "${related}" does not exist` });
  }
  const { links, images } = body.length <= MAX_BODY_LENGTH ? linksIn(body) : { links: [], images: 0 };
  for (const href of links) {
    if (!SAFE_LINK.test(href.trim()))
      problems.push({
        field: 'body',
        code: 'unsafe_link',
        message: `the link to "${href.slice(0, 80)}" is not allowed: link to https:// pages, mailto: addresses or pages of this site`,
      });
    const answer = /^\/faq\/([^)#?\s/]+)/.exec(href);
    if (answer && !exists(answer[1]))
      problems.push({ field: 'body', code: 'unknown_link', message: `link to /faq/${answer[1]}, which does not exist` });
  }
  if (images > 0)
    problems.push({
      field: 'body',
      code: 'image_not_allowed',
      message: 'pictures are not allowed in an answer; describe the screen in words',
    });
  for (const [field, text] of [
    ['title', written.title],
    ['body', body],
  ] as const) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(match[1]))
        problems.push({ field, code: 'unknown_placeholder', message: `unknown placeholder {{${match[1]}}}` });
    }
  }
  if (/<\/?[a-z][^>]*>/i.test(body.replace(/`[^`]*`/g, '')))
    problems.push({ field: 'body', code: 'html_not_allowed', message: 'raw HTML is not allowed; use Markdown' });
  if (body.trim().length < 40) problems.push({ field: 'body', code: 'too_short', message: 'the answer is too short' });
  if (body.length > MAX_BODY_LENGTH)
    problems.push({
      field: 'body',
      code: 'too_long',
      message: `the answer is too long: at most ${MAX_BODY_LENGTH.toLocaleString('en-US')} characters (this one has ${body.length.toLocaleString('en-US')})`,
    });
  return { problems, frontMatter, body };
}

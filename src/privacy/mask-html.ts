/**
 * Masks private data in HTML that sanitize-html wrote: its text as a person reads it (a label in one
 * table cell or in plain type, its number in the next cell or in bold) and every attribute value
 * (link titles, the query of a link). Only text and attribute values are rewritten, each escaped
 * again, so the markup around them stays exactly as it was.
 */
import { maskPrivateData } from './mask';

// sanitize-html escapes "<" and ">" in text and attribute values, so each "<" starts a tag and the
// next ">" ends it.
const TAG = /<[^>]*>/g;
const ATTRIBUTE_VALUE = /(\s[^\s="]+=")([^"]*)"/g;
const TAG_NAME = /^<\/?([a-z0-9]+)/i;

// Tags that start a new line of text, and those that start a new cell on the same line; as in
// readable-text.ts, a label is read with a number in the next cell but not in the next paragraph.
const LINE_TAGS = new Set([
  'p', 'br', 'div', 'hr', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr',
]); // prettier-ignore
const CELL_TAGS = new Set(['td', 'th']);
/** Between a table's cells when HTML is read as text (here and by the mail reader): a label and the number in the next cell stay apart. */
export const CELL_SEPARATOR = ' | ';

const decode = (text: string): string =>
  text.replace(/&(lt|gt|quot|amp);/g, (_entity, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name] as string);
const encode = (text: string, inAttribute = false): string => {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return inAttribute ? escaped.replace(/"/g, '&quot;') : escaped;
};

// Text between tags that is only spaces and line breaks lays out the markup and says nothing.
const isText = (raw: string): boolean => /[^ \t\n\r\f]/.test(raw);

/** A run of text between two tags: where it is in the joined text, and what it becomes. */
interface TextRun {
  /** Offset in the joined text. */
  at: number;
  text: string;
  replaced: string | null;
}

// What every finding holds: a digit of some kind, or the capital of a name.
const MAYBE_PRIVATE = /[\p{N}\p{Lu}\p{Lt}]/u;

/** Masks each attribute value of one tag on its own. */
function maskTag(tag: string): string {
  return tag.replace(ATTRIBUTE_VALUE, (whole, name: string, value: string) => {
    if (!MAYBE_PRIVATE.test(value)) return whole;
    const masked = maskPrivateData(decode(value));
    return masked.redactions.length === 0 ? whole : `${name}${encode(masked.text, true)}"`;
  });
}

/** What separates the text on either side of these tags when a person reads it. */
function separatorFor(tags: string[], spaceBetween: boolean): string {
  const names = tags.map((tag) => TAG_NAME.exec(tag)?.[1].toLowerCase() ?? '');
  if (names.some((name) => LINE_TAGS.has(name))) return '\n';
  if (names.some((name) => CELL_TAGS.has(name))) return CELL_SEPARATOR;
  return spaceBetween ? ' ' : '';
}

/** Places each redaction of the joined text in the runs it covers: its masked form in the first, nothing in the rest. */
function applyRedactions(runs: TextRun[], redactions: Array<{ index: number; original: string; masked: string }>): void {
  const edits = runs.map(() => [] as Array<{ from: number; to: number; text: string }>);
  let first = 0;
  for (const redaction of redactions) {
    const end = redaction.index + redaction.original.length;
    while (first < runs.length && runs[first].at + runs[first].text.length <= redaction.index) first += 1;
    for (let i = first, placed = false; i < runs.length && runs[i].at < end; i += 1) {
      const from = Math.max(redaction.index, runs[i].at) - runs[i].at;
      const to = Math.min(end, runs[i].at + runs[i].text.length) - runs[i].at;
      if (to <= from) continue;
      edits[i].push({ from, to, text: placed ? '' : redaction.masked });
      placed = true;
    }
  }
  runs.forEach((run, i) => {
    if (edits[i].length === 0) return;
    let out = '';
    let at = 0;
    for (const edit of edits[i]) {
      out += run.text.slice(at, edit.from) + edit.text;
      at = edit.to;
    }
    run.replaced = out + run.text.slice(at);
  });
}

/** `html` (as sanitize-html writes it) with its private data masked, in text and attribute values alike. */
export function maskPrivateDataInHtml(html: string): string {
  const tags: string[] = [];
  const texts: string[] = [];
  let at = 0;
  for (const match of html.matchAll(TAG)) {
    texts.push(html.slice(at, match.index));
    tags.push(match[0]);
    at = match.index + match[0].length;
  }
  texts.push(html.slice(at));

  // The text as read: runs joined by what the tags between them mean (a line, a cell, a space or
  // nothing), with line breaks and tabs read as the spaces they show as.
  const runs: TextRun[] = [];
  let joined = '';
  let between: string[] = [];
  let spaceBetween = false;
  texts.forEach((raw, i) => {
    if (isText(raw)) {
      joined += separatorFor(between, spaceBetween);
      between = [];
      spaceBetween = false;
      const text = decode(raw);
      runs.push({ at: joined.length, text, replaced: null });
      joined += text.replace(/[\t\n\r\f]/g, ' ');
    } else if (raw !== '') {
      spaceBetween = true;
    }
    if (i < tags.length) between.push(tags[i]);
  });
  const { redactions } = maskPrivateData(joined);
  if (redactions.length > 0) applyRedactions(runs, redactions);

  let out = '';
  let runIndex = 0;
  texts.forEach((raw, i) => {
    if (isText(raw)) {
      const run = runs[runIndex];
      runIndex += 1;
      out += run.replaced === null ? raw : encode(run.replaced);
    } else {
      out += raw;
    }
    if (i < tags.length) out += maskTag(tags[i]);
  });
  return out;
}

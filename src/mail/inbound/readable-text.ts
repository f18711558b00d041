import { convert, type DomNode, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import type { ParsedMail } from 'mailparser';
import { CELL_SEPARATOR } from '../../privacy/mask-html';
import { limitHtmlNesting, MAX_HTML_NESTING } from './limit-html-nesting';

// Table cells are kept apart (CELL_SEPARATOR) so that what is masked next reads as a person reads the
// table: a label with the number in the next cell, never "SSN123-45-6789DOB".

/** Whether a node holds any text; remembered, so that nested tables are not walked again at each level. */
function hasText(node: DomNode, known: WeakMap<DomNode, boolean>): boolean {
  if (node.type === 'text') return (node.data ?? '').trim() !== '';
  let found = known.get(node);
  if (found === undefined) {
    found = (node.children ?? []).some((child) => hasText(child, known));
    known.set(node, found);
  }
  return found;
}

/** A table row on a line of its own, its cells with text joined by CELL_SEPARATOR. */
function rowFormatter(): FormatCallback {
  const known = new WeakMap<DomNode, boolean>();
  return (row, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 1 });
    let cells = 0;
    for (const child of row.children ?? []) {
      const isCell = child.type === 'tag' && (child.name === 'td' || child.name === 'th');
      if (!isCell || !hasText(child, known)) continue;
      if (cells > 0) builder.addLiteral(CELL_SEPARATOR);
      walk(child.children ?? [], builder);
      cells += 1;
    }
    builder.closeBlock({ trailingLineBreaks: 1 });
  };
}

function options(): HtmlToTextOptions {
  return {
    wordwrap: false,
    // limitHtmlNesting keeps the nesting within MAX_HTML_NESTING; this only guards the recursive walk.
    limits: { maxDepth: 2 * MAX_HTML_NESTING },
    formatters: { tableRow: rowFormatter() },
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'tableRow' },
    ],
  };
}

/** Plain text a person would read from an HTML body: links kept as text, images and scripts dropped, table cells apart. */
export function htmlToReadableText(html: string): string {
  return convert(limitHtmlNesting(html), options());
}

/** Whether the message is HTML alone: mailparser then gives it a text of its own making, cells run together. */
function isHtmlOnly(mail: Partial<Pick<ParsedMail, 'headers'>>): boolean {
  const type = mail.headers?.get('content-type');
  const value = typeof type === 'object' && type !== null && 'value' in type ? type.value : type;
  return typeof value === 'string' && value.toLowerCase() === 'text/html';
}

/** The readable body of a parsed message: its text part, else its HTML part turned into text. */
export function readableBody(mail: Pick<ParsedMail, 'text' | 'html'> & Partial<Pick<ParsedMail, 'headers'>>): string {
  if (typeof mail.html === 'string' && isHtmlOnly(mail)) return htmlToReadableText(mail.html);
  if (mail.text && mail.text.trim()) return mail.text;
  if (typeof mail.html === 'string') return htmlToReadableText(mail.html);
  return '';
}

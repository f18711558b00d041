/**
 * Caps how deeply email HTML nests before a parser reads it. htmlparser2, under both sanitize-html
 * and html-to-text, keeps its open elements at the front of an array, so parsing costs the square of
 * the nesting depth, and html-to-text's recursive walk overflows the stack a few thousand levels
 * down. Real mail nests a few dozen levels; Chromium itself stops nesting at 512. Deeper elements
 * lose their tags and keep their text.
 */

/** The deepest nesting kept. */
export const MAX_HTML_NESTING = 512;

// Elements that never hold content, and those whose content is not markup (readers drop them with
// their content, and so does flattenDeepHtml): htmlparser2's lists.
const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input',
  'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]); // prettier-ignore
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

// An element that opens closes the innermost open element when it is one of these (a <p> ends the
// <p> before it, a <td> the <td>), as htmlparser2 does; so an unclosed run of them does not nest.
const CLOSES = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
]);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
for (const name of ['select', 'input', 'output', 'button', 'datalist', 'textarea']) CLOSES.set(name, FORM);
const P = new Set(['p']);
for (const name of [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul',
]) CLOSES.set(name, P); // prettier-ignore

const isWhitespace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
const isLetter = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z]/.test(c);
const SAFE_ATTRIBUTE_NAME = /^[^\s"'<>/=]+$/;
const rawTextEnds = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi')]));

interface Tag {
  name: string;
  closing: boolean;
  /** The tag written plainly: lower-case names, every attribute value in double quotes. */
  markup: string;
  /** Where the tag ends in the HTML. */
  end: number;
}

/** The tag at `from` ("<" or "</" and a letter), read as htmlparser2 reads it; null when it never ends. */
function readTag(html: string, from: number): Tag | null {
  const closing = html[from + 1] === '/';
  let at = from + (closing ? 2 : 1);
  const nameStart = at;
  while (at < html.length && !isWhitespace(html[at]) && html[at] !== '/' && html[at] !== '>') at += 1;
  const name = html.slice(nameStart, at).toLowerCase();
  if (closing) {
    const end = html.indexOf('>', at);
    return end < 0 ? null : { name, closing, markup: `</${name}>`, end: end + 1 };
  }
  let markup = `<${name}`;
  for (;;) {
    while (isWhitespace(html[at]) || html[at] === '/') at += 1;
    if (at >= html.length) return null;
    if (html[at] === '>') return { name, closing, markup: `${markup}>`, end: at + 1 };
    const attributeStart = at;
    at += 1; // a name's first character may be "="
    while (at < html.length && !isWhitespace(html[at]) && !'/>='.includes(html[at])) at += 1;
    const attribute = html.slice(attributeStart, at).toLowerCase();
    while (isWhitespace(html[at])) at += 1;
    let value: string | null = null;
    if (html[at] === '=') {
      at += 1;
      while (isWhitespace(html[at])) at += 1;
      const quote = html[at];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, at + 1);
        if (close < 0) return null;
        value = html.slice(at + 1, close);
        at = close + 1;
      } else {
        const valueStart = at;
        while (at < html.length && !isWhitespace(html[at]) && html[at] !== '>') at += 1;
        value = html.slice(valueStart, at);
      }
    }
    if (SAFE_ATTRIBUTE_NAME.test(attribute))
      markup += value === null ? ` ${attribute}` : ` ${attribute}="${value.replace(/"/g, '&quot;')}"`;
  }
}

/**
 * The HTML rewritten so that it nests at most `maxDepth` elements deep: tags deeper than that become
 * a space, their text stays. What it writes is read by any HTML parser as it is read here: every
 * tag written plainly, every other "<" escaped, comments, declarations and script-like elements
 * left out. The readers of email HTML leave those out anyway.
 */
export function flattenDeepHtml(html: string, maxDepth = MAX_HTML_NESTING): string {
  const out: string[] = [];
  // A run of dropped tags becomes one space.
  const dropTag = (): void => {
    if (out[out.length - 1] !== ' ') out.push(' ');
  };
  const stack: Array<{ name: string; kept: boolean }> = [];
  const openCount = new Map<string, number>();
  const pop = (): { name: string; kept: boolean } => {
    const element = stack.pop() as { name: string; kept: boolean };
    openCount.set(element.name, (openCount.get(element.name) as number) - 1);
    return element;
  };

  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) {
      out.push(html.slice(at));
      break;
    }
    if (lt > at) out.push(html.slice(at, lt));
    const next = html[lt + 1];
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) break;
      at = end + 3;
      continue;
    }
    if (next === '!' || next === '?' || (next === '/' && !isLetter(html[lt + 2]))) {
      const end = html.indexOf('>', lt + 2);
      if (end < 0) break;
      at = end + 1;
      continue;
    }
    if (next !== '/' && !isLetter(next)) {
      out.push('&lt;');
      at = lt + 1;
      continue;
    }
    const tag = readTag(html, lt);
    // A tag that never ends holds the rest of the HTML, as a parser reads it.
    if (!tag) break;
    at = tag.end;

    if (tag.closing) {
      if (!openCount.get(tag.name)) {
        // A parser ignores it, or makes an empty element of it (</p>, </br>): no deeper than one level.
        out.push(tag.markup);
        continue;
      }
      let element = pop();
      while (element.name !== tag.name) element = pop();
      if (element.kept) out.push(tag.markup);
      else dropTag();
    } else if (RAW_TEXT.has(tag.name)) {
      const ends = rawTextEnds.get(tag.name) as RegExp;
      ends.lastIndex = at;
      const end = ends.exec(html);
      const close = end ? html.indexOf('>', end.index) : -1;
      if (close < 0) break;
      at = close + 1;
    } else {
      const closes = CLOSES.get(tag.name);
      while (closes && stack.length > 0 && closes.has(stack[stack.length - 1].name)) pop();
      if (VOID.has(tag.name)) {
        out.push(tag.markup);
        continue;
      }
      const kept = stack.length < maxDepth;
      stack.push({ name: tag.name, kept });
      openCount.set(tag.name, (openCount.get(tag.name) ?? 0) + 1);
      if (kept) out.push(tag.markup);
      else dropTag();
    }
  }
  return out.join('');
}

/** The HTML as it is when it has too few tags to nest deeper than the limit, else flattenDeepHtml(html). */
export function limitHtmlNesting(html: string, maxDepth = MAX_HTML_NESTING): string {
  const startTag = /<[a-zA-Z]/g;
  let tags = 0;
  while (startTag.exec(html)) {
    tags += 1;
    if (tags > maxDepth) return flattenDeepHtml(html, maxDepth);
  }
  return html;
}

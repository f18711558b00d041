import sanitizeHtml from 'sanitize-html';
import { maskPrivateDataInHtml } from '../../privacy/mask-html';
import { limitHtmlNesting } from './limit-html-nesting';

const LINK_REL = 'noopener noreferrer nofollow';

// Formatting a person uses in a message; nothing that loads, runs, submits or restyles the page.
const ALLOWED_TAGS = [
  'p', 'br', 'div', 'span', 'hr', 'blockquote', 'pre', 'code',
  'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'small', 'sub', 'sup', 'mark',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'a',
]; // prettier-ignore

// Elements whose content is code, styling or embedded documents rather than text for a reader.
const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template',
  'iframe', 'frame', 'frameset', 'noframes', 'object', 'embed', 'applet', 'svg', 'math', 'xmp', 'noembed',
]; // prettier-ignore

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    span: [],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    ol: ['start'],
  },
  // sanitize-html decodes entities and strips whitespace and control characters before it checks
  // the scheme, so `&#106;avascript:` and ` jAvAsCrIpT:` are caught; safeHref (below) is a second,
  // stricter gate that also drops relative and `//` links.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: {
    a: (_tagName, attribs) => {
      const href = safeHref(attribs.href);
      if (!href) return { tagName: 'span', attribs: {} };
      return { tagName: 'a', attribs: { href, ...(attribs.title ? { title: attribs.title } : {}), rel: LINK_REL } };
    },
    // Remote images track when staff open a message; keep only what the image was said to show.
    // Left as a bare img (not allowed, so discarded) when there is no alt text to keep.
    img: (tagName, attribs) =>
      attribs.alt?.trim() ? { tagName: 'span', attribs: {}, text: `[image: ${attribs.alt.trim()}]` } : { tagName, attribs: {} },
  },
};

/**
 * The href when it is an absolute http(s) or mailto link, else null. Attributes arrive here with
 * entities decoded; a relative link would resolve against the staff site (and could trigger its
 * own GET actions), so it is dropped too. sanitize-html's own scheme check still runs afterwards.
 */
function safeHref(href: string | undefined): string | null {
  const trimmed = (href ?? '').trim();
  return /^(https?:\/\/[^/\\\s]|mailto:[^\s])/i.test(trimmed) ? trimmed : null;
}

/**
 * Email HTML made fit to show staff: plain formatting, tables and http/https/mailto links only, with
 * private data masked in its text and attributes as in every other text (SPEC §5).
 */
export function sanitizeEmailHtml(html: string): string {
  return maskPrivateDataInHtml(sanitizeHtml(limitHtmlNesting(html), OPTIONS));
}

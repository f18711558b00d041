import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { isLanguage, translator } from '../../i18n/i18n';
import { PROJECT_ROOT } from '../../paths';

const EMAIL_VIEWS = path.join(PROJECT_ROOT, 'views', 'emails');
const compiled = new Map<string, ejs.TemplateFunction>();

function template(file: string): ejs.TemplateFunction {
  let fn = compiled.get(file);
  if (!fn) {
    const filename = path.join(EMAIL_VIEWS, file);
    // Plain text is not HTML: a name such as O'Brien must not arrive as O&#39;Brien.
    const plain = file.endsWith('.text.ejs');
    // cache: the partials it includes are compiled once too, not at every message. They are cached by
    // file name, and a .text partial is only ever included by a .text template (same escaping).
    fn = ejs.compile(readFileSync(filename, 'utf8'), {
      filename,
      async: false,
      cache: true,
      ...(plain ? { escape: String } : {}),
    });
    compiled.set(file, fn);
  }
  return fn;
}

/** How a message is framed: its subject (the HTML document's title) and whether the helpdesk signs it. */
export interface EmailFrame {
  subject: string;
  /** The helpdesk's signature (court, phone, site) under the message; default true. */
  signed?: boolean;
}

/**
 * Renders `views/emails/<name>.text.ejs` and `.html.ejs` with the same data, each put in the shared
 * frame (`_frame.text.ejs`, `_frame.html.ejs`): the two parts of one message. The frame is rendered
 * around the message rather than included by it: an EJS include looks for its file and copies the
 * data and options at every message, which was about half the cost of an acknowledgement.
 * `data.lang` ('en' | 'es') chooses the words: every template gets `lang` and `t` in that language.
 */
export function renderEmail(name: string, data: Record<string, unknown>, frame: EmailFrame): { text: string; html: string } {
  // Filer mail speaks its `lang` (en unless given): templates take their words from `t` (locales/*/emails.json).
  const lang = isLanguage(data.lang) ? data.lang : 'en';
  data = { ...data, lang, t: translator(lang) };
  const framed = (part: 'text' | 'html') =>
    template(`_frame.${part}.ejs`)({
      ...data,
      subject: frame.subject,
      signed: frame.signed ?? true,
      content: template(`${name}.${part}.ejs`)(data),
    });
  const text = framed('text')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: `${text}\n`, html: framed('html') };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
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

/** Renders `views/emails/<name>.text.ejs` and `.html.ejs` with the same data: the two parts of one message. */
export function renderEmail(name: string, data: Record<string, unknown>): { text: string; html: string } {
  const text = template(`${name}.text.ejs`)(data)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: `${text}\n`, html: template(`${name}.html.ejs`)(data) };
}

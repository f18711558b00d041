import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFaqContent } from '../../src/faq/faq-content';
import { spanishWords } from '../../src/faq/search-text-es';

const answer = (id: string, title: string, body: string) =>
  `---\nid: ${id}\ntitle: "${title}"\ncategory: Getting help\nkeywords: [x]\n---\n${body}\n`;

describe('Spanish FAQ answers (faq-content/es/)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'faq-es-'));
    mkdirSync(path.join(dir, 'es'));
    writeFileSync(
      path.join(dir, 'hours.md'),
      answer('hours', 'When are you open?', 'Open {{hours}}. Call {{helpdesk.phone}} or see [callbacks](/faq/callbacks).'),
    );
    writeFileSync(
      path.join(dir, 'callbacks.md'),
      answer('callbacks', 'Can you call me back?', 'Yes, book a time on the callback page during {{hours}}.'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no problem when each English answer has a Spanish one with the same placeholders and links', () => {
    writeFileSync(
      path.join(dir, 'es', 'hours.md'),
      answer('hours', '¿Cuándo abren?', 'Abrimos {{hours}}. Llame al {{helpdesk.phone}} o vea [llamadas](/faq/callbacks).'),
    );
    writeFileSync(
      path.join(dir, 'es', 'callbacks.md'),
      answer('callbacks', '¿Me pueden llamar?', 'Sí, reserve una hora en la página de llamadas, {{hours}}.'),
    );
    assert.deepEqual(checkFaqContent(dir), []);
  });

  it('reports a Spanish answer without an English one, a missing translation, other placeholders and other links', () => {
    writeFileSync(
      path.join(dir, 'es', 'hours.md'),
      answer('hours', '¿Cuándo abren?', 'Abrimos {{hours}}. Escriba a {{helpdesk.email}} o vea [el horario](/faq/hours).'),
    );
    writeFileSync(
      path.join(dir, 'es', 'solo.md'),
      answer('solo', '¿Solo en español?', 'Una respuesta que no existe en inglés, nada más.'),
    );
    writeFileSync(path.join(dir, 'es', 'synonyms.yaml'), '- [clave]\n');
    const problems = checkFaqContent(dir).join('\n');
    assert.match(problems, /es\/solo\.md: there is no English answer "solo"/);
    assert.match(problems, /es\/callbacks\.md: the Spanish version of "callbacks" is missing/);
    assert.match(
      problems,
      /es\/hours\.md: uses the placeholders \[helpdesk\.email, hours\], the English answer \[helpdesk\.phone, hours\]/,
    );
    assert.match(problems, /es\/hours\.md: links to the answers \[hours\], the English answer to \[callbacks\]/);
    assert.match(problems, /es\/synonyms\.yaml: .*at least two/);
  });
});

describe('Spanish words for the FAQ index', () => {
  it('reads a word typed without its accent as the accented one, keeps ñ, drops stop words and keeps negations', () => {
    const term = spanishWords.termOf;
    assert.equal(term('presentacion'), term('presentación'));
    assert.equal(term('presentación'), term('presentar'));
    assert.equal(term('electronico'), term('electrónico'));
    assert.notEqual(term('año'), term('ano'));
    assert.equal(term('esta'), undefined);
    assert.equal(term('está'), undefined);
    assert.equal(term('no'), 'not');
    assert.deepEqual(spanishWords.wordsOf('¿Cómo pago la cuota?'), ['cómo', 'pago', 'la', 'cuota']);
  });
});

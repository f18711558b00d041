import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FAQ_DIR } from '../../src/paths';
import { openDatabase } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.join(__dirname, '..', '..');

/** Every file of a folder and its subfolders (es/), by name ("es/training.md"), as bytes. */
function folder(dir: string, prefix = ''): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .flatMap((name): Array<[string, Buffer]> => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? [...folder(full, `${prefix}${name}/`)] : [[`${prefix}${name}`, readFileSync(full)]];
      }),
  );
}

describe('faq:import and faq:export', function () {
  this.timeout(120_000);
  let dir: string;
  const databases: TestDatabase[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'faq-transfer-'));
  });
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new, empty database (not even migrated: the commands prepare it). */
  async function newDatabase(name: string): Promise<string> {
    mkdirSync(path.join(dir, name));
    const database = await createTestDatabase(path.join(dir, name), { migrated: false });
    databases.push(database);
    return database.url;
  }

  const helpdesk = (url: string, args: string[]) => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
  };

  it('exports a database filled from faq-content/ as the very same answer files, byte for byte', async () => {
    const url = await newDatabase('a');
    const out = path.join(dir, 'out');
    const run = helpdesk(url, ['faq:export', out]);
    assert.equal(run.status, 0, run.stderr);
    const shipped = folder(FAQ_DIR);
    const exported = folder(out);
    const answers = [...shipped.keys()].filter((name) => name.endsWith('.md') && !/(^|\/)README\.md$/.test(name));
    const english = answers.filter((name) => !name.includes('/'));
    const spanish = answers.filter((name) => name.startsWith('es/'));
    assert.equal(spanish.length, english.length, 'every shipped answer has its Spanish version');
    assert.match(run.stdout, new RegExp(`^Exported ${english.length} published answers`));
    assert.match(run.stdout, new RegExp(`^Exported ${spanish.length} Spanish answers .* to .*/es\\.$`, 'm'));
    for (const name of answers) assert.ok(exported.get(name)?.equals(shipped.get(name) as Buffer), `${name} differs`);
    // synonyms.yaml is written in one fixed form (the shipped file has comments): the same groups.
    const groups = (file: Buffer | undefined) => (parseYaml(String(file)) as string[][]).map((g) => g.join('|')).sort();
    assert.deepEqual(groups(exported.get('synonyms.yaml')), groups(shipped.get('synonyms.yaml')));
    assert.deepEqual(groups(exported.get('es/synonyms.yaml')), groups(shipped.get('es/synonyms.yaml')));
  });

  it('round-trips: export, import into a new database, export again gives identical files', async () => {
    const first = await newDatabase('first');
    // An edited answer and a new one, brought in by an import: version 2 and version 1.
    const edits = path.join(dir, 'edits');
    mkdirSync(edits);
    const original = readFileSync(path.join(FAQ_DIR, 'training.md'), 'utf8');
    writeFileSync(
      path.join(edits, 'training.md'),
      original.replace(/\n$/, '\n\nAsk about **evening classes** too. “Quotes” — and dashes.\r\n'),
    );
    writeFileSync(
      path.join(edits, 'pacer-fees-question.md'),
      '---\nid: pacer-fees-question\ntitle: "Does PACER cost money?"\ncategory: About CM/ECF\nkeywords: [PACER fees, cost, "per page: 10 cents"]\nasks:\n  - "why was I charged by PACER"\n---\nPACER charges a small fee per page for most documents, with a quarterly cap on charges.\n',
    );
    // Their Spanish versions: a changed one (accents, ñ, ¿?, a Windows line ending) and a new one.
    mkdirSync(path.join(edits, 'es'));
    const spanishOriginal = readFileSync(path.join(FAQ_DIR, 'es', 'training.md'), 'utf8');
    writeFileSync(
      path.join(edits, 'es', 'training.md'),
      spanishOriginal.replace(/\n$/, '\n\n¿Clases por la tarde? Pregúntenos también por los cursos en español.\r\n'),
    );
    writeFileSync(
      path.join(edits, 'es', 'pacer-fees-question.md'),
      '---\nid: pacer-fees-question\ntitle: "¿PACER cuesta dinero?"\ncategory: About CM/ECF\nkeywords: [tarifas de PACER, costo, "por página: 10 centavos"]\n---\nPACER cobra una pequeña tarifa por página en la mayoría de los documentos, con un máximo por trimestre.\n',
    );
    assert.equal(helpdesk(first, ['faq:export', path.join(dir, 'unused')]).status, 0); // fills it from faq-content/
    const imported = helpdesk(first, ['faq:import', edits]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /1 new, 1 changed \(a new version each\), 0 unchanged/);
    assert.match(imported.stdout, /^Spanish answers \(es\/\): 1 new, 1 changed \(a new version each\), 0 unchanged\.$/m);

    const one = path.join(dir, 'one');
    assert.equal(helpdesk(first, ['faq:export', one]).status, 0);
    const second = await newDatabase('second');
    const into = helpdesk(second, ['faq:import', one]);
    assert.equal(into.status, 0, into.stderr);
    assert.match(into.stdout, /new, 0 changed .* 0 unchanged; synonyms replaced\.$/m);
    const two = path.join(dir, 'two');
    assert.equal(helpdesk(second, ['faq:export', two]).status, 0);

    const a = folder(one);
    const b = folder(two);
    assert.deepEqual([...b.keys()], [...a.keys()]);
    for (const [name, bytes] of a) assert.ok(b.get(name)?.equals(bytes), `${name} differs after the round trip`);
    // Byte for byte as imported, Windows line ending and typographic quotes included.
    assert.ok(
      a.get('training.md')?.equals(readFileSync(path.join(edits, 'training.md'))),
      'the imported file comes back unchanged',
    );
    assert.ok(
      a.get('es/training.md')?.equals(readFileSync(path.join(edits, 'es', 'training.md'))),
      'the imported Spanish file comes back unchanged',
    );
    assert.ok(a.has('es/pacer-fees-question.md') && a.has('es/synonyms.yaml'));
    // Nothing changes when the same folder comes in again.
    assert.match(helpdesk(second, ['faq:import', two]).stdout, /0 new, 0 changed .*unchanged; synonyms unchanged/);

    const db = openDatabase(first);
    try {
      const versions = await db('faq_versions').where({ answer_id: 'training', language: 'en' }).orderBy('number');
      assert.deepEqual(
        versions.map((v) => [Number(v.number), v.published_by]),
        [
          [1, 'seed'],
          [2, 'cli'],
        ],
      );
      assert.equal((await db('audit_log').where({ action: 'faq.published', actor: 'cli' })).length, 1);
      const spanishVersions = await db('faq_versions').where({ answer_id: 'training', language: 'es' }).orderBy('number');
      assert.deepEqual(
        spanishVersions.map((v) => [Number(v.number), v.published_by]),
        [
          [1, 'seed'],
          [2, 'cli'],
        ],
      );
    } finally {
      await db.destroy();
    }
  });

  it('imports nothing from a folder with any problem, and names each one', async () => {
    const url = await newDatabase('bad');
    assert.equal(helpdesk(url, ['faq:export', path.join(dir, 'unused')]).status, 0);
    const bad = path.join(dir, 'bad-folder');
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, 'training.md'),
      readFileSync(path.join(FAQ_DIR, 'training.md'), 'utf8').replace('Yes.', 'Changed, but the next file is broken.'),
    );
    writeFileSync(
      path.join(bad, 'broken.md'),
      '---\nid: broken\ntitle: "A broken answer?"\ncategory: Gardening\nkeywords: [x]\nrelated: [nowhere]\n---\nA body with <script>alert(1)</script> and [a link](javascript:alert(1)) in it.\n',
    );
    const run = helpdesk(url, ['faq:import', bad]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /broken\.md: front matter category/);
    assert.match(run.stderr, /related answer "nowhere" does not exist/);
    assert.match(run.stderr, /raw HTML is not allowed/);
    assert.match(run.stderr, /javascript:alert\(1\)" is not allowed/);
    assert.match(run.stderr, /nothing was imported/);
    const db = openDatabase(url);
    try {
      assert.equal((await db('faq_versions').where({ answer_id: 'training', language: 'en' })).length, 1);
      assert.equal(await db('faq_answers').where({ id: 'broken' }).first(), undefined);
    } finally {
      await db.destroy();
    }
    assert.equal(helpdesk(url, ['faq:import', path.join(dir, 'missing')]).status, 1);
    assert.equal(helpdesk(url, ['faq:import']).status, 2);
  });
  it('refuses a Spanish answer that has no English one, and a Spanish link to an answer that does not exist', async () => {
    const url = await newDatabase('spanish');
    assert.equal(helpdesk(url, ['faq:export', path.join(dir, 'unused')]).status, 0);
    const bad = path.join(dir, 'bad-spanish');
    mkdirSync(path.join(bad, 'es'), { recursive: true });
    writeFileSync(
      path.join(bad, 'es', 'solo-en-espanol.md'),
      '---\nid: solo-en-espanol\ntitle: "¿Una respuesta sin versión en inglés?"\ncategory: Getting help\nkeywords: [prueba]\n---\nEsta respuesta no tiene una versión en inglés, así que no se puede importar.\n',
    );
    writeFileSync(
      path.join(bad, 'es', 'training.md'),
      readFileSync(path.join(FAQ_DIR, 'es', 'training.md'), 'utf8').replace('(/faq/helpdesk-hours)', '(/faq/no-existe)'),
    );
    const run = helpdesk(url, ['faq:import', bad]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /es\/solo-en-espanol\.md: there is no English answer "solo-en-espanol"/);
    assert.match(run.stderr, /es\/training\.md: link to \/faq\/no-existe, which does not exist/);
    const db = openDatabase(url);
    try {
      assert.equal((await db('faq_versions').where({ answer_id: 'training', language: 'es' })).length, 1);
      assert.equal(await db('faq_answers').where({ id: 'solo-en-espanol' }).first(), undefined);
    } finally {
      await db.destroy();
    }
  });
});

import { existsSync, statSync } from 'node:fs';
import { createAuditService } from '../../audit/audit.service';
import { migrateLatest, type Db } from '../../db/knex';
import { exportFolder, importFolder, seedFromFolder } from '../../faq/faq-transfer';
import { FAQ_DIR } from '../../paths';

/**
 * `faq:import DIR`: the answers in DIR (Markdown with front matter, as faq-content/) become the
 * published versions of their answers; all or nothing. Exit 1 with every problem when the folder has any.
 */
export async function faqImport(db: Db, args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir || args.length > 1) {
    process.stderr.write('Give one folder of answers: npx helpdesk faq:import DIR\n');
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`${dir}: no such folder.\n`);
    return 1;
  }
  await migrateLatest(db);
  const { problems, result } = await importFolder(db, dir, { by: 'cli', byName: null }, { audit: createAuditService(db) });
  if (!result) {
    for (const problem of problems) process.stderr.write(`${dir}/${problem}\n`);
    process.stderr.write(`${problems.length} problem(s); nothing was imported.\n`);
    return 1;
  }
  const synonymsOf = (r: { synonyms: 'replaced' | 'unchanged' | 'none' }) =>
    ({ replaced: '; synonyms replaced', unchanged: '; synonyms unchanged', none: '' })[r.synonyms];
  process.stdout.write(
    `Imported ${dir}: ${result.added.length} new, ${result.changed.length} changed (a new version each), ${result.unchanged.length} unchanged${synonymsOf(result)}.\n`,
  );
  const es = result.spanish;
  if (es)
    process.stdout.write(
      `Spanish answers (es/): ${es.added.length} new, ${es.changed.length} changed (a new version each), ${es.unchanged.length} unchanged${synonymsOf(es)}.\n`,
    );
  return 0;
}

/** `faq:export DIR`: every published answer as DIR/<id>.md, exactly as stored, and DIR/synonyms.yaml; Spanish ones in DIR/es/ (drafts stay in the database). */
export async function faqExport(db: Db, args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir || args.length > 1) {
    process.stderr.write('Give one folder to write the answers to: npx helpdesk faq:export DIR\n');
    return 2;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    process.stderr.write(`${dir} is a file, not a folder.\n`);
    return 1;
  }
  await migrateLatest(db);
  // A database the server has never started on is filled from faq-content/ first, as the server would.
  await seedFromFolder(db, FAQ_DIR);
  const { answers, synonyms, spanishAnswers, spanishSynonyms } = await exportFolder(db, dir);
  process.stdout.write(
    `Exported ${answers} published answers${synonyms > 0 ? ` and ${synonyms} synonym groups` : ''} to ${dir}.\n`,
  );
  if (spanishAnswers + spanishSynonyms > 0)
    process.stdout.write(
      `Exported ${spanishAnswers} Spanish answers${spanishSynonyms > 0 ? ` and ${spanishSynonyms} Spanish synonym groups` : ''} to ${dir}/es.\n`,
    );
  return 0;
}

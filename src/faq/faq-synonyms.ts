import { parseSynonyms, synonymGroupsSchema, type SynonymGroups } from './search-synonyms';

/**
 * The synonym table as stored (faq_synonyms): each group of words and phrases that mean the same to
 * a filer, kept as its first member (the term) and the others (its equivalents). The search takes
 * the groups whole (src/faq/search-synonyms.ts); faq-content/synonyms.yaml (a list of lists) seeds
 * the table; editors change it at /staff/faq/synonyms, one group per line, members separated by commas.
 */
export interface SynonymGroup {
  term: string;
  equivalents: string[];
}

const tidy = (word: string) => word.replace(/\s+/g, ' ').trim();
const keyOf = (word: string) => tidy(word).toLowerCase();

/** Rows from groups: a group whose first member starts another group already is merged into it. */
export function groupsToRows(groups: SynonymGroups): SynonymGroup[] {
  const byTerm = new Map<string, SynonymGroup>();
  for (const [first, ...rest] of groups) {
    const term = tidy(first);
    const row = byTerm.get(keyOf(term)) ?? { term, equivalents: [] };
    for (const word of rest.map(tidy))
      if (keyOf(word) !== keyOf(term) && !row.equivalents.some((w) => keyOf(w) === keyOf(word))) row.equivalents.push(word);
    byTerm.set(keyOf(term), row);
  }
  return [...byTerm.values()].filter((r) => r.equivalents.length > 0);
}

/** The groups the search takes, from the rows. */
export function rowsToGroups(rows: SynonymGroup[]): SynonymGroups {
  return rows.map((r) => [r.term, ...r.equivalents]);
}

/** One problem in the editor's lines, with the line it is on (from 1). */
export interface SynonymProblem {
  line: number;
  message: string;
}

/** Reads the editor's lines: `word, word, word` per group (empty lines and lines starting with # are skipped). */
export function parseSynonymLines(text: string): { groups: SynonymGroup[]; problems: SynonymProblem[] } {
  const problems: SynonymProblem[] = [];
  const groups: SynonymGroups = [];
  const lineOf: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    groups.push(trimmed.split(',').map(tidy).filter(Boolean));
    lineOf.push(index + 1);
  });
  const checked = synonymGroupsSchema.safeParse(groups);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const at = typeof issue.path[0] === 'number' ? lineOf[issue.path[0]] : 0;
      const message = /at least two/.test(issue.message)
        ? 'put at least two words or phrases on the line, separated by commas'
        : issue.code === 'too_big' && issue.path.length === 2
          ? 'a word or phrase is too long (100 characters at most)'
          : issue.code === 'too_big'
            ? 'too many words or lines'
            : issue.message;
      problems.push({ line: at, message: at ? `Line ${at}: ${message}.` : `${message}.` });
    }
    return { groups: [], problems };
  }
  const seen = new Map<string, number>();
  groups.forEach(([first], i) => {
    const earlier = seen.get(keyOf(first));
    if (earlier !== undefined)
      problems.push({
        line: lineOf[i],
        message: `Line ${lineOf[i]}: "${first}" already starts line ${earlier}; put the words on one line.`,
      });
    else seen.set(keyOf(first), lineOf[i]);
  });
  return { groups: groupsToRows(groups), problems };
}

/** The rows as the editor's lines. */
export function formatSynonymLines(rows: SynonymGroup[]): string {
  return rows.map((r) => [r.term, ...r.equivalents].join(', ')).join('\n');
}

/** Reads faq-content/synonyms.yaml (a list of lists); throws with the reason when it is not that. */
export function parseSynonymsYaml(text: string): SynonymGroup[] {
  return groupsToRows(parseSynonyms(text));
}

const flowScalar = (value: string) =>
  /^[\p{L}\p{N}][\p{L}\p{N} '/.&()+-]*$/u.test(value) && !/^(?:yes|no|on|off|true|false|null|[\d.]+)$/i.test(value)
    ? value
    : JSON.stringify(value);

/** The rows as synonyms.yaml: one `- [word, word]` line per group, in the table's order. */
export function formatSynonymsYaml(rows: SynonymGroup[]): string {
  const lines = rows.map((r) => `- [${[r.term, ...r.equivalents].map(flowScalar).join(', ')}]`);
  return `# Groups of words that mean the same to a filer (written by helpdesk faq:export).\n${lines.join('\n')}\n`;
}

/**
 * Synonyms for the FAQ search: groups of words and phrases that mean the same thing to a filer
 * ("NEF", "notice of electronic filing", "email from the court"). Kept as data, seeded from
 * faq-content/synonyms.yaml and edited by staff; applied when a query is read, so a change needs no
 * new index. A query that uses one member of a group also looks for the others, with less weight.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FAQ_DIR } from '../paths';
import { englishWords, type WordRules } from './search-text';

/** Groups of equivalent words and phrases, each group a list of at least two. */
export type SynonymGroups = string[][];

export const SYNONYMS_FILE = path.join(FAQ_DIR, 'synonyms.yaml');

export const synonymGroupsSchema = z
  .array(z.array(z.string().trim().min(1).max(100)).min(2, 'a group needs at least two words or phrases').max(80))
  .max(2000);

/** The groups in a YAML text (a list of lists); throws with the reason when it is not that. */
export function parseSynonyms(yamlText: string): SynonymGroups {
  const parsed = synonymGroupsSchema.safeParse(parseYaml(yamlText) ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `synonyms: ${issue.path.map((p) => (typeof p === 'number' ? p + 1 : String(p))).join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** The groups in faq-content/synonyms.yaml (or another file). */
export function loadSynonyms(file = SYNONYMS_FILE): SynonymGroups {
  return parseSynonyms(readFileSync(file, 'utf8'));
}

// Words that never decide whether a phrase matches: "the email from the court" is "email from court".
const GLUE = new Set([
  ...['a', 'an', 'the', 'my', 'our', 'your', 'his', 'her', 'their', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'of'],
  ...['el', 'la', 'los', 'las', 'un', 'una', 'de', 'del', 'al', 'mi', 'mis', 'su', 'sus', 'y', 'o', 'en', 'con', 'por', 'para'],
]);
// Small words a member may lose when it is looked for ("email from the court" is looked for as
// "email court"), as long as two words are left. A member that loses any other word ("have to"), or
// whose one word left would mean something else ("sign in" as "sign"), is recognised in a query but
// not looked for.
const PREPOSITIONS = new Set(['in', 'on', 'to', 'for', 'from', 'with', 'at', 'by', 'off', 'into', 'onto', 'about']);

/** A place in a query where a member of a group was found, and what the other members look for. */
export interface SynonymMatch {
  /** Indices of the query's words that the member covers (from `wordsOf`). */
  words: number[];
  /** Each other member of its groups, as index terms; members that are all stop words are left out. */
  alternatives: string[][];
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Groups a phrase ending here belongs to, with the phrase's own key. */
  ends: Array<{ group: number; key: string }>;
}

/** The groups made ready to match against queries. */
export interface SynonymTable {
  /**
   * The members of groups found in `words` (lower-case, as `wordsOf` gives), longest first, not
   * overlapping. `corrected` gives, for a word with a typo, the index term it was meant as.
   */
  find(words: readonly string[], corrected?: ReadonlyMap<number, string>): SynonymMatch[];
  /** True when some member uses this index term ("atty", "contraseña"): it is no typo. */
  uses(term: string): boolean;
}

/** The table for these groups, their words read by `rules` (the language's; English unless told). */
export function compileSynonyms(groups: SynonymGroups, rules: WordRules = englishWords): SynonymTable {
  const { termOf, wordsOf } = rules;
  /** A word as phrases are matched: its stem, or itself for a stop word ("have to", "sign in"). */
  const keyOf = (word: string) => termOf(word) ?? word;
  const root: TrieNode = { next: new Map(), ends: [] };
  // Per group: each member's phrase key and index terms.
  const members = groups.map((group) =>
    group.map((phrase) => {
      const words = wordsOf(phrase).filter((w) => !GLUE.has(w));
      const terms = words.map((w) => termOf(w)).filter((t): t is string => t !== undefined && t.length > 1);
      const lost = words.length - terms.length;
      const keepsMeaning =
        lost === 0 || (terms.length >= 2 && words.every((w) => PREPOSITIONS.has(w) || (termOf(w)?.length ?? 0) > 1));
      return {
        key: words.map(keyOf).join(' '),
        // What it is looked for as: nothing when it would lose its meaning or is only a negation.
        terms: keepsMeaning && terms.some((t) => t !== 'not') ? terms : [],
        keys: words.map(keyOf),
      };
    }),
  );
  const used = new Set(members.flatMap((group) => group.flatMap((member) => member.keys)));
  members.forEach((group, g) => {
    for (const member of group) {
      if (member.keys.length === 0) continue;
      let node = root;
      for (const key of member.keys) {
        let child = node.next.get(key);
        if (!child) node.next.set(key, (child = { next: new Map(), ends: [] }));
        node = child;
      }
      if (!node.ends.some((e) => e.group === g)) node.ends.push({ group: g, key: member.key });
    }
  });

  function alternativesOf(ends: TrieNode['ends']): string[][] {
    const seen = new Set<string>();
    const alternatives: string[][] = [];
    for (const { group, key } of ends) {
      for (const member of members[group]) {
        const joined = member.terms.join(' ');
        if (member.key === key || member.terms.length === 0 || seen.has(joined)) continue;
        seen.add(joined);
        alternatives.push(member.terms);
      }
    }
    return alternatives;
  }

  return {
    uses: (term) => used.has(term),
    find(words, corrected = new Map()) {
      // The query's words that count, with where each stands in `words`.
      const at: number[] = [];
      const keys: string[] = [];
      words.forEach((word, i) => {
        if (GLUE.has(word)) return;
        at.push(i);
        keys.push(corrected.get(i) ?? keyOf(word));
      });
      const matches: SynonymMatch[] = [];
      let start = 0;
      while (start < keys.length) {
        let node: TrieNode | undefined = root;
        let longest: { length: number; ends: TrieNode['ends'] } | undefined;
        for (let i = start; i < keys.length && node; i += 1) {
          node = node.next.get(keys[i]);
          if (node && node.ends.length > 0) longest = { length: i - start + 1, ends: node.ends };
        }
        if (!longest) {
          start += 1;
          continue;
        }
        const span = at.slice(start, start + longest.length);
        // Glue words inside the span belong to it too ("notice of electronic filing").
        const covered = Array.from({ length: span[span.length - 1] - span[0] + 1 }, (_, i) => span[0] + i);
        matches.push({ words: covered, alternatives: alternativesOf(longest.ends) });
        start += longest.length;
      }
      return matches;
    },
  };
}

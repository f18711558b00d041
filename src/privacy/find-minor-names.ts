/**
 * Finds names of minors stated as such ("my son Tommy Smith", "the minor child Jacob Lee",
 * "Ana Ruiz, a minor") so that only their initials are shown (Fed. R. Civ. P. 5.2(a)(3)). A name
 * already written as initials ("minor J. Doe") is left as it is.
 */
import type { Finding } from './find-private-numbers';

const CHILD = String.raw`(?:son|daughter|child|kid|grandson|granddaughter|grandchild|step-?son|step-?daughter|step-?child|nephew|niece|boy|girl|foster (?:son|daughter|child))`;
const CHILD_DESCRIPTION = String.raw`(?:(?:minor|\d{1,2}[- ]year[- ]old|young|little|youngest|oldest|eldest|teenage|infant|baby|minor-aged)\s+)*`;

// Words after which a minor's name follows.
const CUES = [
  new RegExp(
    String.raw`\b(?:my|our|his|her|their|the (?:plaintiff|defendant|petitioner|debtor)['’]?s?)\s+${CHILD_DESCRIPTION}${CHILD},?\s+(?:(?:named|called)\s+)?`,
    'gi',
  ),
  new RegExp(
    String.raw`\b(?:the |a |my |our |his |her |their )?minor(?:\s+(?:child|children|plaintiff|defendant|student|victim|son|daughter|witness|party))?,?\s+(?:(?:named|called)\s+)?`,
    'gi',
  ),
];

const WORD = String.raw`\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+|['’]\p{Lu}\p{Ll}+)?`;
// A name of one to three capitalised words, right where a cue ends.
const NAME_AT = new RegExp(String.raw`${WORD}(?:\s+${WORD}){0,2}(?![\p{L}\p{N}])`, 'uy');
// A name followed by ", a minor", "(age 12)", "aged 9".
const NAME_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])(${WORD}(?:\s+${WORD}){0,2}),?\s+\(?(?:[Aa] minor|[Aa]ge \d{1,2}\b|[Aa]ged \d{1,2}\b|\d{1,2} years old|[Aa] \d{1,2}[- ]year[- ]old)`,
  'gu',
);

// Capitalised words that are not names (sentence words, days, months, courts).
const NOT_NAMES = new Set(
  (
    'I The A An He She It They We You His Her Their Our My And But Or So Is Was Has Had Have Will Would Can Could ' +
    'Should Who Whom Whose What When Where Why How In On At For From To With Of By As If Then This That These Those ' +
    'Please Thanks Thank Also Because Since After Before Monday Tuesday Wednesday Thursday Friday Saturday Sunday ' +
    'January February March April May June July August September October November December Court Judge Plaintiff ' +
    'Defendant Minor Child Son Daughter Exhibit Docket Case Mr Mrs Ms Dr Jr Sr Esq'
  ).split(' '),
);

/** "Tommy Smith" → "T.S."; the last full stop is left out when the text already has one there. */
function initials(name: string, text = '', end = 0): string {
  const short = name
    .split(/\s+/)
    .map((word) => `${word[0]}.`)
    .join('');
  return text[end] === '.' ? short.slice(0, -1) : short;
}

/** Drops trailing words that are not names ("Tommy Smith Was" → "Tommy Smith"); null when none is left. */
function trimToName(candidate: string): string | null {
  const words = candidate.split(/\s+/);
  if (NOT_NAMES.has(words[0])) return null;
  const end = words.findIndex((word) => NOT_NAMES.has(word));
  return (end === -1 ? words : words.slice(0, end)).join(' ');
}

/** Names of minors stated as such, each with its initials. */
export function findMinorNames(text: string): Finding[] {
  const found: Finding[] = [];
  for (const cue of CUES) {
    for (const match of text.matchAll(cue)) {
      NAME_AT.lastIndex = match.index + match[0].length;
      const name = NAME_AT.exec(text);
      const trimmed = name ? trimToName(name[0]) : null;
      if (!name || !trimmed) continue;
      const end = name.index + trimmed.length;
      found.push({ kind: 'minor_name', start: name.index, end, masked: initials(trimmed, text, end) });
    }
  }
  for (const match of text.matchAll(NAME_BEFORE)) {
    const words = match[1].split(/\s+/);
    // Keep the words closest to ", a minor": "Yesterday Ana Ruiz, a minor" names Ana Ruiz.
    const firstName = words.findLastIndex((word) => NOT_NAMES.has(word)) + 1;
    const name = words.slice(firstName).join(' ');
    if (!name) continue;
    const start = match.index + match[1].length - name.length;
    found.push({ kind: 'minor_name', start, end: start + name.length, masked: initials(name, text, start + name.length) });
  }
  return [...found, ...otherMentions(text, found)];
}

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Once a minor is named, the same name and first name elsewhere ("Tommy's school") are masked too. */
function otherMentions(text: string, named: Finding[]): Finding[] {
  const names = new Set(named.map((finding) => text.slice(finding.start, finding.end)));
  for (const name of [...names]) names.add(name.split(/\s+/)[0]);
  return [...names].flatMap((name) =>
    [...text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'gu'))].map((match): Finding => {
      const end = match.index + name.length;
      return { kind: 'minor_name', start: match.index, end, masked: initials(name, text, end) };
    }),
  );
}

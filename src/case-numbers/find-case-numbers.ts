/**
 * Recognises federal court case numbers in free text (subjects, bodies, forwarded notices) and
 * normalises them. Pure: no I/O, unit-tested with tables of cases.
 *
 * Forms recognised:
 *   district / bankruptcy with office:  3:20-cv-1234-JST, 3:20cv1234, 1:17-cr-00201-ABJ-2, 20-cv-1234
 *   bankruptcy with office, dashed:     1-23-01071-nhl
 *   bankruptcy / appellate, short:      19-12345, 24-04888-CL7, 21-16499 (context needed, see below)
 *   multidistrict litigation:           MDL No. 2967
 */

export interface CaseNumber {
  /** Normalised form, e.g. `3:20-cv-01234`, `19-12345`, `MDL No. 2967`. */
  number: string;
  office: number | null;
  year: number | null;
  type: string | null;
  sequence: number;
  judgeInitials: string[];
  defendant?: number;
}

// Hyphen, the Unicode dashes people paste from word processors, and the minus sign.
const DASH = '[-\\u2010-\\u2015\\u2212]';

// O:YY-tt-NNNNN with optional dashes/spaces, then -INITIALS / -N suffixes written without spaces.
const DISTRICT = new RegExp(
  `(?<![\\w])(?<!\\d:)(?:(\\d{1,2})\\s*:\\s*)?(\\d{2}|(?:19|20)\\d{2})\\s*${DASH}?\\s*([a-z]{2,4})\\s*${DASH}?\\s*(\\d{1,6})` +
    `((?:${DASH}(?:[a-z]{1,4}\\d?|\\d{1,3}))*)(?![\\w])`,
  'gi',
);

// 1-23-01071 (office, year, five-digit sequence), as some bankruptcy courts write it.
const OFFICE_DASHED = new RegExp(
  `(?<![\\w:.\\/-])(\\d)${DASH}(\\d{2})${DASH}(\\d{5})((?:${DASH}[a-z]{1,4}\\d?)*)(?![\\w]|[-/.]\\d)`,
  'gi',
);

// YY-NNNNN: accepted only with supporting context because dates and ranges look alike.
const SHORT = new RegExp(
  `(?<![\\w.\\/$-])(?<!\\d:)(\\d{2})${DASH}(\\d{1,5})((?:${DASH}(?:[a-z]{1,4}\\d?|\\d{1,2}))*)(?![\\w]|[-/.:]\\d)`,
  'gi',
);

const MDL = /\bMDL\s*(?:No\.?|Number|#)?\s*(\d{1,5})\b/gi;

// Words that, just before a bare YY-NNNN, say that it is a case number.
const CASE_CONTEXT = /(?:case|docket|appeal|bankruptcy|adversary|proceeding|no|number|#)\s*[.:#]?\s*$/i;

// Words that are not a case type even though they fit [a-z]{2,4} between dashes (e.g. "20-mar-2021").
const NOT_CASE_TYPES = new Set([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'am',
  'pm',
  'and',
  'or',
  'to',
  'the',
  'of',
  'at',
  'in',
  'on',
  'th',
  'st',
  'nd',
  'rd',
]);

const pad = (sequence: string): string => sequence.padStart(5, '0');

function splitSuffix(suffix: string): { judgeInitials: string[]; defendant?: number } {
  const initials: string[] = [];
  let defendant: number | undefined;
  for (const part of suffix.split(new RegExp(DASH)).filter(Boolean)) {
    const letters = /^([a-z]+)\d?$/i.exec(part);
    if (letters) initials.push(letters[1].toUpperCase());
    else if (defendant === undefined) defendant = Number(part);
  }
  return defendant === undefined ? { judgeInitials: initials } : { judgeInitials: initials, defendant };
}

function twoDigitYear(year: string): number {
  return Number(year.slice(-2));
}

function district(m: RegExpExecArray): CaseNumber | null {
  const [, office, rawYear, rawType, sequence, suffix] = m;
  const type = rawType.toLowerCase();
  if (NOT_CASE_TYPES.has(type)) return null;
  // Without an office or any dash the match is too loose ("20 cv 1234" in prose is fine, "2021may5" is not).
  if (!office && !new RegExp(DASH).test(m[0])) return null;
  const year = twoDigitYear(rawYear);
  const yy = String(year).padStart(2, '0');
  const { judgeInitials: initials, defendant } = splitSuffix(suffix);
  const base = `${yy}-${type}-${pad(sequence)}`;
  const result: CaseNumber = {
    number: office ? `${Number(office)}:${base}` : base,
    office: office ? Number(office) : null,
    year,
    type,
    sequence: Number(sequence),
    judgeInitials: initials,
  };
  if (defendant !== undefined) result.defendant = defendant;
  return result;
}

function hasContext(text: string, index: number, suffix: string, sequence: string): boolean {
  if (suffix) return true; // 22-11299-W, 24-04888-CL7: the initials mark it as a case number
  const before = text.slice(Math.max(0, index - 24), index);
  if (CASE_CONTEXT.test(before)) return true;
  // A five-digit sequence after a two-digit year is the bankruptcy/appellate shape; dates never have it.
  return sequence.length === 5 && /(^|[\s([])$/.test(before);
}

interface Found {
  caseNumber: CaseNumber;
  at: number;
}

function collect(found: Map<string, Found>, candidate: CaseNumber | null, at: number): void {
  if (!candidate) return;
  const entry = found.get(candidate.number);
  if (!entry) {
    found.set(candidate.number, { caseNumber: candidate, at });
    return;
  }
  entry.at = Math.min(entry.at, at);
  const existing = entry.caseNumber;
  for (const initials of candidate.judgeInitials) {
    if (!existing.judgeInitials.includes(initials)) existing.judgeInitials.push(initials);
  }
  if (existing.defendant === undefined && candidate.defendant !== undefined) existing.defendant = candidate.defendant;
}

/** Finds every case number in `text`, normalised and de-duplicated, in order of first appearance. */
export function findCaseNumbers(text: string): CaseNumber[] {
  const found = new Map<string, Found>();
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
  const take = (m: RegExpExecArray) => taken.push([m.index, m.index + m[0].length]);

  for (const m of text.matchAll(DISTRICT)) {
    const candidate = district(m);
    if (candidate) {
      take(m);
      collect(found, candidate, m.index);
    }
  }
  for (const m of text.matchAll(OFFICE_DASHED)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    take(m);
    const [, office, year, sequence, suffix] = m;
    collect(
      found,
      {
        number: `${office}-${year}-${sequence}`,
        office: Number(office),
        year: Number(year),
        type: null,
        sequence: Number(sequence),
        ...splitSuffix(suffix),
      },
      m.index,
    );
  }
  for (const m of text.matchAll(SHORT)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    const [, year, sequence, suffix] = m;
    if (!hasContext(text, m.index, suffix, sequence)) continue;
    take(m);
    collect(
      found,
      {
        number: `${year}-${sequence}`,
        office: null,
        year: Number(year),
        type: null,
        sequence: Number(sequence),
        ...splitSuffix(suffix),
      },
      m.index,
    );
  }
  for (const m of text.matchAll(MDL)) {
    collect(
      found,
      {
        number: `MDL No. ${Number(m[1])}`,
        office: null,
        year: null,
        type: 'mdl',
        sequence: Number(m[1]),
        judgeInitials: [],
      },
      m.index,
    );
  }
  return [...found.values()].sort((a, b) => a.at - b.at).map((entry) => entry.caseNumber);
}

/** Parses a field that should hold exactly one case number; null when it holds none or several. */
export function parseCaseNumber(input: string): CaseNumber | null {
  const trimmed = input.trim().replace(/^(?:case\s*(?:no\.?|number|#)?|no\.?)\s*[:#]?\s*/i, '');
  // A lone YY-NNNN typed into the case-number field is a case number: the field is the context.
  const found = findCaseNumbers(`Case ${trimmed}`);
  return found.length === 1 ? found[0] : null;
}

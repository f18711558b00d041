/**
 * Fed. R. Civ. P. 5.2 masking for what the helpdesk shows and sends: Social Security and taxpayer
 * numbers and financial account numbers keep their last four digits, full birth dates keep the year,
 * minors' names become initials. Pure; the caller keeps the original where only administrators see it.
 */
import { findMinorNames } from './find-minor-names';
import { findPrivateNumbers, type Finding, type RedactionKind } from './find-private-numbers';
import { matchingForm } from './matching-form';

export type { RedactionKind } from './find-private-numbers';

export interface Redaction {
  kind: RedactionKind;
  /** The text that was replaced. */
  original: string;
  /** What replaced it. */
  masked: string;
  /** Where `original` starts in the text given to maskPrivateData. */
  index: number;
}

// Shapes that are never private and must survive untouched even when a label is nearby.
const NEVER_PRIVATE = [
  // Case numbers: 3:20-cv-01234-JST, 1:17-cr-00201-ABJ-2, 20-cv-1234.
  /(?<![\w])(?:\d{1,2}\s*:\s*)?\d{2}-?[a-z]{2,4}-?\d{1,6}(?:-(?:[a-z]{1,4}\d?|\d{1,3}))*(?![\w])/gi,
  // Appellate and bankruptcy numbers: 21-16499, 19-12345-CL7.
  /(?<![\w./$-])\d{2}-\d{4,5}(?:-[a-z0-9]{1,4})*(?![\w-])/gi,
  // Phone numbers: (866) 555-0100, 206-370-8440, +1 206 555 0142.
  /(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g,
  // Helpdesk and other reference numbers: HD-2026-000123.
  /\b[a-z]{2,5}-\d{4}-\d{3,8}\b/gi,
];

// When two findings overlap, the earlier kind in this list wins.
const PRIORITY: RedactionKind[] = ['ssn', 'tin', 'account_number', 'birth_date', 'minor_name'];

function neverPrivateSpans(text: string): Array<[number, number]> {
  return NEVER_PRIVATE.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m): [number, number] => [m.index, m.index + m[0].length]),
  );
}

function overlaps(a: { start: number; end: number }, [start, end]: [number, number]): boolean {
  return a.start < end && start < a.end;
}

/** The findings to mask in `text`, without overlaps, in order, placed in `text` itself. */
function chooseFindings(text: string): Finding[] {
  // The finders read digits of every script and full-width forms as ASCII (see matching-form.ts).
  const form = matchingForm(text);
  const read = form?.text ?? text;
  const keep = neverPrivateSpans(read);
  const candidates = [...findPrivateNumbers(read), ...findMinorNames(read)]
    .filter((finding) => finding.end > finding.start && !keep.some((span) => overlaps(finding, span)))
    .sort(
      (a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || b.end - b.start - (a.end - a.start) || a.start - b.start,
    );

  const chosen: Finding[] = [];
  for (const finding of candidates) {
    if (!chosen.some((taken) => overlaps(finding, [taken.start, taken.end]))) chosen.push(finding);
  }
  chosen.sort((a, b) => a.start - b.start);
  if (!form) return chosen;
  const placed = chosen.map((finding) => ({ ...finding, start: form.start[finding.start], end: form.end[finding.end - 1] }));
  // One character folded into several ("⑴" is "(1)") could hold the end of one finding and the start of the next.
  return placed.filter((finding, i) => i === 0 || finding.start >= placed[i - 1].end);
}

/** Masks the private data in `text` and lists each redaction with the original, for administrators. */
export function maskPrivateData(text: string): { text: string; redactions: Redaction[] } {
  let masked = '';
  let at = 0;
  const redactions: Redaction[] = [];
  for (const finding of chooseFindings(text)) {
    masked += text.slice(at, finding.start) + finding.masked;
    at = finding.end;
    redactions.push({
      kind: finding.kind,
      original: text.slice(finding.start, finding.end),
      masked: finding.masked,
      index: finding.start,
    });
  }
  return { text: masked + text.slice(at), redactions };
}

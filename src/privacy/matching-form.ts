/**
 * The form of a text the privacy finders read: digits of every script as ASCII digits (١٢٣, 𝟏𝟐𝟑),
 * full-width and other compatibility characters folded by NFKC (１２３－４５, ＳＳＮ：, no-break
 * spaces), and dashes as hyphens, so that a number typed on a phone keyboard or pasted from a word
 * processor is recognised as one typed in ASCII. Each character of the folded text remembers where it
 * came from, so that what is found can be replaced in the text as written.
 */

export interface MatchingForm {
  /** The folded text the finders read. */
  text: string;
  /** Where the character at each index of `text` starts in the original. */
  start: number[];
  /** Where it ends in the original. */
  end: number[];
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
// Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
const DASH = /^[\u2010-\u2015\u2212]$/u;
const digitValues = new Map<number, string>();

/** The value of a decimal digit of any script: Unicode keeps each script's digits 0 to 9 in a row. */
function digitValue(codePoint: number): string {
  let value = digitValues.get(codePoint);
  if (value === undefined) {
    let zero = codePoint;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
    value = String((codePoint - zero) % 10);
    digitValues.set(codePoint, value);
  }
  return value;
}

const INVISIBLE = /^\p{Default_Ignorable_Code_Point}$/u;

/** How one character outside ASCII is read. */
function fold(character: string): string {
  // Invisible characters (soft hyphen, zero-width space, word joiner…) would otherwise split a number.
  if (INVISIBLE.test(character)) return '';
  const folded = character.normalize('NFKC');
  if (/^[0-9]$/.test(folded)) return folded;
  if (DECIMAL_DIGIT.test(folded)) return digitValue(folded.codePointAt(0) as number);
  if (DASH.test(folded)) return '-';
  return folded;
}

/** The text folded for matching, or null when it is plain ASCII and is read as it is. */
export function matchingForm(text: string): MatchingForm | null {
  // eslint-disable-next-line no-control-regex -- the ASCII range, not a control character
  if (!/[^\u0000-\u007f]/.test(text)) return null;
  let folded = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let at = 0; at < text.length;) {
    const codePoint = text.codePointAt(at) as number;
    const character = String.fromCodePoint(codePoint);
    const next = at + character.length;
    const read = codePoint < 0x80 ? character : fold(character);
    folded += read;
    for (let i = 0; i < read.length; i += 1) {
      start.push(at);
      end.push(next);
    }
    at = next;
  }
  return { text: folded, start, end };
}

/**
 * Finds the numbers Fed. R. Civ. P. 5.2 protects: Social Security and taxpayer numbers, financial
 * account and card numbers, and full birth dates. Each finding carries its masked form (last four
 * digits, or the birth year). Numbers need a label unless their shape alone gives them away
 * (123-45-6789, a card number passing the Luhn check), so case numbers, phone numbers, ZIP codes,
 * money, docket numbers and hearing dates are left alone.
 */

export type RedactionKind = 'ssn' | 'tin' | 'account_number' | 'birth_date' | 'minor_name';

/** A span of the original text to replace. */
export interface Finding {
  kind: RedactionKind;
  start: number;
  end: number;
  masked: string;
}

const digitsOf = (value: string): string => value.replace(/\D/g, '');
const lastFour = (value: string): string => digitsOf(value).slice(-4);

// 123-45-6789 or 123 45 6789 (the same separator twice), not inside a longer number. Letters may
// touch it: an HTML table's cells run together as "SSN123-45-6789DOB" when its text is taken.
const SSN_SHAPED = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?!\d|[-.,/]\d)/g;
const SSN_LABEL = String.raw`(?:ssn|ss#|s\.s\.n\.?|social security(?: (?:number|no\.?|#))?|soc\.? sec\.?(?: (?:no\.?|#|number))?)`;
const TIN_LABEL = String.raw`(?:itin|ein|fein|tin|tax ?id(?:entification)?(?: (?:number|no\.?|#))?|taxpayer id(?:entification)?(?: (?:number|no\.?|#))?|employer id(?:entification)?(?: (?:number|no\.?|#))?|federal tax (?:id|number))`;
// Between a label and its number: "is", ":", "#", "number" and a few other words, no digits and no sentence end.
const LABEL_GAP = String.raw`[^\d\n.;!?$]{0,20}?`;
// A label starts after anything but a letter ("6789DOB" has one, "adobe" has none).
const LABEL_START = String.raw`(?<![a-z])`;
// A labelled number is not the tail or the head of a longer number; a letter may touch it ("SSN-123456789DOB").
const NOT_AFTER_NUMBER = String.raw`(?<!\d|\d-)`;
const NOT_BEFORE_NUMBER = String.raw`(?!\d|[-.]\d)`;
const LABELLED_SSN = new RegExp(
  String.raw`${LABEL_START}${SSN_LABEL}${LABEL_GAP}${NOT_AFTER_NUMBER}(\d{9}|\d{3}[-. ]\d{2}[-. ]\d{4})${NOT_BEFORE_NUMBER}`,
  'gi',
);
const LABELLED_TIN = new RegExp(
  String.raw`${LABEL_START}${TIN_LABEL}${LABEL_GAP}${NOT_AFTER_NUMBER}(\d{2}-\d{7}|\d{9}|9\d{2}[- ]\d{2}[- ]\d{4})${NOT_BEFORE_NUMBER}`,
  'gi',
);

const ACCOUNT_LABEL = String.raw`(?:(?:bank |checking |savings |credit card |debit card |loan |brokerage |financial |card )?(?:account|acct\.?|a\/c)|(?:credit |debit )?card|routing|aba)(?:\s*(?:number|num\.?|no\.?|nbr|#))?`;
// The number follows the label directly ("Account000123456789") or as a word of its own ("account
// ref12345678" is not one); a letter may follow it ("000123456789Routing").
const LABELLED_ACCOUNT = new RegExp(
  String.raw`(?<!(?:pacer|ecf|cm\/ecf|e-?filing|filing|user|login) )${LABEL_START}${ACCOUNT_LABEL}(?:${LABEL_GAP}(?<![\w-]))?(\d(?:[ -]?\d){7,18})(?!\d|[-.,/]\d)`,
  'gi',
);
const LABELLED_IBAN = /\biban\b[^\w\n]{0,5}([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b/gi;
// 13 to 19 digits, written solid or in card groups (4-4-4-4, 4-6-5, …), for the Luhn check.
const CARD_SHAPED = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-]|[.,/]\d)/g;
const CARD_GROUPS = /^(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{4}[ -]\d{6}[ -]\d{4,5})$/;
// Phone numbers look like 10-digit account numbers: (866) 555-0100, 206-370-8440, +1 206 555 0142.
const PHONE_SHAPED = /^(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/;

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const BIRTH_LABEL = String.raw`(?:d\.?o\.?b\.?|date of birth|birth ?date|birthday|born(?: on)?)`;
// "DOB: ", "date of birth is ", "born on ", "date of birth of the minor: "
const BIRTH_GAP = String.raw`[^\d\n.;!?]{0,25}?`;
const BIRTH_DATE = new RegExp(
  String.raw`${LABEL_START}${BIRTH_LABEL}${BIRTH_GAP}(` +
    [
      String.raw`(?<md>\d{1,2}[/.-]\d{1,2}[/.-])(?<y1>\d{4}|\d{2})`,
      String.raw`(?<y2>(?:19|20)\d{2})-\d{1,2}-\d{1,2}`,
      String.raw`${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?<y3>\d{4})`,
      String.raw`\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH},?\s+(?<y4>\d{4})`,
    ].join('|') +
    String.raw`)(?![\d/-])`,
  'gi',
);

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Where the first capture group of `match` starts in the text. */
function groupStart(match: RegExpExecArray): number {
  return match.index + match[0].length - match[1].length;
}

function isSsnLike(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && group !== '00' && serial !== '0000';
}

/** Social Security numbers and ITINs written as 123-45-6789, and SSNs or TINs given with a label. */
function findTaxNumbers(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(SSN_SHAPED)) {
    const [whole, area, separator, group, serial] = match;
    if (!isSsnLike(area, group, serial)) continue;
    // Numbers starting with 9 are ITINs (taxpayer numbers), never SSNs.
    const kind = area.startsWith('9') ? 'tin' : 'ssn';
    const masked = `XXX${separator}XX${separator}${serial}`;
    found.push({ kind, start: match.index, end: match.index + whole.length, masked });
  }
  for (const match of text.matchAll(LABELLED_SSN)) {
    const start = groupStart(match as RegExpExecArray);
    found.push({ kind: 'ssn', start, end: start + match[1].length, masked: `XXX-XX-${lastFour(match[1])}` });
  }
  for (const match of text.matchAll(LABELLED_TIN)) {
    const start = groupStart(match as RegExpExecArray);
    const number = match[1];
    const masked = /^\d{2}-\d{7}$/.test(number) ? `XX-XXX${lastFour(number)}` : `XXX-XX-${lastFour(number)}`;
    found.push({ kind: 'tin', start, end: start + number.length, masked });
  }
  return found;
}

/** Bank, card and routing numbers given with a label, IBANs, and unlabelled card numbers passing Luhn. */
function findAccountNumbers(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(LABELLED_ACCOUNT)) {
    const number = match[1];
    if (PHONE_SHAPED.test(number)) continue;
    const start = groupStart(match as RegExpExecArray);
    found.push({ kind: 'account_number', start, end: start + number.length, masked: `XXXX${lastFour(number)}` });
  }
  for (const match of text.matchAll(LABELLED_IBAN)) {
    const start = groupStart(match as RegExpExecArray);
    const tail = match[1].replace(/\s/g, '').slice(-4);
    found.push({ kind: 'account_number', start, end: start + match[1].length, masked: `XXXX${tail}` });
  }
  for (const match of text.matchAll(CARD_SHAPED)) {
    const number = match[0];
    if (!CARD_GROUPS.test(number) || !luhnValid(digitsOf(number))) continue;
    found.push({
      kind: 'account_number',
      start: match.index,
      end: match.index + number.length,
      masked: `XXXX${lastFour(number)}`,
    });
  }
  return found;
}

/** Full dates of birth given with a label (DOB, date of birth, born on, birthday): the year stays. */
function findBirthDates(text: string): Finding[] {
  const found: Finding[] = [];
  for (const match of text.matchAll(BIRTH_DATE)) {
    const date = match[1];
    const groups = match.groups ?? {};
    const start = groupStart(match as RegExpExecArray);
    let masked: string;
    if (groups.md) {
      const separator = groups.md.replace(/\d/g, '')[0];
      masked = `XX${separator}XX${separator}${groups.y1}`;
    } else if (groups.y2) {
      masked = `${groups.y2}-XX-XX`;
    } else {
      masked = `XX/XX/${groups.y3 ?? groups.y4}`;
    }
    found.push({ kind: 'birth_date', start, end: start + date.length, masked });
  }
  return found;
}

/** Every protected number in the text, possibly overlapping; the caller resolves overlaps. */
export function findPrivateNumbers(text: string): Finding[] {
  return [...findTaxNumbers(text), ...findAccountNumbers(text), ...findBirthDates(text)];
}

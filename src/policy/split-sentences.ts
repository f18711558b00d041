/** What sentence splitting needs from the scope rules. */
export interface SentenceRules {
  /** Words that end with a full stop without ending a sentence ("Fed", "v", "a.m"), lower case. */
  abbreviations: Set<string>;
  /** Where a new sentence starts inside a line ("also,", ", and can you"); global flag. */
  sentenceBreak: RegExp | null;
}

const END = /[.?!;]+(?=\s|$|["')\]])/g;

const isLetter = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

/**
 * True when the full stop at `at` ends an abbreviation or an initial rather than a sentence. The word
 * is read backwards from the stop (letters and inner full stops, starting with a letter): reading
 * the line from its start at every stop took quadratic time on a long line.
 */
export function isAbbreviation(line: string, at: number, abbreviations: Set<string>): boolean {
  let start = at;
  while (start > 0 && (isLetter(line[start - 1]) || line[start - 1] === '.')) start -= 1;
  while (start < at && !isLetter(line[start])) start += 1;
  if (start === at) return false;
  const word = line.slice(start, at);
  return word.length === 1 || abbreviations.has(word.toLowerCase());
}

/**
 * Splits a request into sentences: at . ? ! ; and line breaks, and where a joining phrase starts a
 * new request ("also,", ", and can you"). Each part is judged on its own by the scope guard.
 */
export function splitSentences(text: string, rules: SentenceRules): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\r?\n+/)) {
    const cuts = new Set<number>();
    for (const match of line.matchAll(END)) {
      if (match[0] === '.' && isAbbreviation(line, match.index, rules.abbreviations)) continue;
      cuts.add(match.index + match[0].length);
    }
    if (rules.sentenceBreak) {
      for (const match of line.matchAll(rules.sentenceBreak)) if (match.index > 0) cuts.add(match.index);
    }
    let start = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      sentences.push(line.slice(start, cut));
      start = cut;
    }
    sentences.push(line.slice(start));
  }
  return sentences.map((sentence) => sentence.replace(/\s+/g, ' ').trim()).filter((sentence) => /[a-z0-9]/i.test(sentence));
}

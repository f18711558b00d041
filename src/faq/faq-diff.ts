import { diffLines } from 'diff';

/** One line of a comparison: in both versions, only in the newer (added), only in the older (removed), or a gap of unchanged lines. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed' | 'gap';
  text: string;
}

/**
 * The lines that differ between two versions of an answer's file, with `context` unchanged lines
 * around each change; longer runs of unchanged lines become one `gap` line saying how many.
 */
export function diffSources(older: string, newer: string, context = 3): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(older, newer)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j += 1) near[j] = true;
  });
  const shown: DiffLine[] = [];
  for (let i = 0; i < lines.length;) {
    if (near[i] || lines[i].kind !== 'same') {
      shown.push(lines[i]);
      i += 1;
      continue;
    }
    let end = i;
    while (end < lines.length && !near[end] && lines[end].kind === 'same') end += 1;
    const count = end - i;
    shown.push({ kind: 'gap', text: `${count} unchanged ${count === 1 ? 'line' : 'lines'}` });
    i = end;
  }
  return shown;
}

/**
 * Progress of a long command, always on standard error so that it never mixes with the data a command
 * prints on standard output. On a terminal: a bar (cli-progress) with the count, the rate and the time
 * left, then one summary line. Off a terminal (a pipe, cron, a service's log): a plain line every 30 s
 * of a long run, and nothing at all for a shorter one.
 */
import { SingleBar, Format } from 'cli-progress';

/** Where progress goes: standard error, or a stand-in with the same shape in tests. */
export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `n` more items done. */
  tick(n?: number): void;
  /** The number of items, once it is known. */
  setTotal(total: number): void;
  /** A line for the person (a file that could not be read…), on a line of its own, not inside the bar. */
  note(line: string): void;
  /**
   * Ends the progress; safe to call more than once (call it in `finally`). With a summary (the work
   * is done: "Exported 20,000 tickets") it says that and the time taken; without one, how far the
   * work got before it stopped.
   */
  stop(summary?: string): void;
}

export interface ProgressOptions {
  /** What the command is doing: "Exporting tickets". */
  label: string;
  total?: number;
  stream?: ProgressStream;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/** Off a terminal, the time between two plain lines; a run shorter than this prints none. */
export const PLAIN_LINE_EVERY_MS = 30_000;

const count = (n: number) => n.toLocaleString('en-US');

/** A duration in a person's words: "2.5 s", "12 s", "3 min 20 s", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${(Math.floor(seconds * 10) / 10).toString()} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The time left, rounded up, as a person would say it: "12 s", "70 s", "4 min", "2 h 5 min". */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Items a second so far, and the time left at that rate (null until there is a rate to go by). */
function measure(done: number, total: number | undefined, elapsedMs: number) {
  const rate = done > 0 && elapsedMs > 0 ? (done * 1000) / elapsedMs : null;
  const leftMs = rate !== null && total !== undefined ? (Math.max(total - done, 0) / rate) * 1000 : null;
  return { rate, leftMs };
}

/** "28 s left" and the rate, once there is a rate to go by. */
function timeLeftAndRate(done: number, total: number | undefined, elapsedMs: number, perSecond: string): string[] {
  const { rate, leftMs } = measure(done, total, elapsedMs);
  if (rate === null) return [];
  const rateText = `${count(Math.round(rate))}${perSecond}`;
  return leftMs === null ? [rateText] : [`${formatTimeLeft(leftMs)} left`, rateText];
}

/** Starts showing the progress of `label`; see the module's comment for what shows where. */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  let done = 0;
  let total = options.total;
  let stopped = false;
  // The summary, with the time taken, or how far the work got when it stopped without one.
  const lastLine = (summary: string | undefined) =>
    summary === undefined
      ? `${options.label}: stopped after ${count(done)}${total === undefined ? '' : ` of ${count(total)}`}.\n`
      : `${summary} in ${formatDuration(now() - started)}.\n`;
  // CI logs keep every redraw of a bar as a line of its own: plain lines there, as off a terminal.
  const onTerminal = stream.isTTY === true && !process.env.CI;

  if (onTerminal) {
    const bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      // Nothing about the terminal changes (cursor shown, wrapping left on; the line is cut to its
      // width instead), so a command that dies under the bar leaves the terminal as it was.
      hideCursor: false,
      linewrap: true,
      clearOnComplete: true,
      format: (barOptions, params) => {
        const figures = total === undefined ? count(done) : `${count(done)}/${count(total)}`;
        const line = [figures, ...timeLeftAndRate(done, total, now() - started, '/s')].join(' · ');
        // The bar goes first when the terminal is too narrow for everything; the line never wraps.
        const width = Math.max(params.maxWidth - 1, 20);
        const bar = total === undefined ? '' : `${Format.BarFormat(total > 0 ? Math.min(done / total, 1) : 1, barOptions)} `;
        const full = `${options.label} ${bar}${line}`;
        return (full.length <= width ? full : `${options.label} ${line}`).slice(0, width);
      },
      barsize: 20,
      barCompleteChar: '█',
      barIncompleteChar: '░',
    });
    bar.start(total ?? 0, 0);
    return {
      tick(n = 1) {
        done += n;
        bar.update(done);
      },
      setTotal(n) {
        total = n;
        bar.setTotal(n);
      },
      note(line) {
        // The bar goes, the line takes its place, and the bar starts again below it (cli-progress
        // goes back to where its bar started when it stops, so it is stopped rather than drawn over).
        bar.stop();
        stream.write(`${line}\n`);
        bar.start(total ?? 0, done);
      },
      stop(summary) {
        if (stopped) return;
        stopped = true;
        bar.stop();
        stream.write(lastLine(summary));
      },
    };
  }

  let lastPlainLine = started;
  let printed = false;
  return {
    tick(n = 1) {
      done += n;
      const at = now();
      if (at - lastPlainLine < PLAIN_LINE_EVERY_MS) return;
      lastPlainLine = at;
      printed = true;
      const of = total === undefined ? count(done) : `${count(done)} of ${count(total)}`;
      stream.write(`${[`${options.label}: ${of}`, ...timeLeftAndRate(done, total, at - started, ' a second')].join(', ')}\n`);
    },
    setTotal(n) {
      total = n;
    },
    note(line) {
      stream.write(`${line}\n`);
    },
    stop(summary) {
      if (stopped) return;
      stopped = true;
      // A short run said nothing, and says nothing now: the command's own output is what matters.
      if (!printed) return;
      stream.write(lastLine(summary));
    },
  };
}

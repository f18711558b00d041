import pino from 'pino';
import { logFormat, prettyStream } from '../logger';

/**
 * A command's log: to stderr, so that it never mixes with the command's output (JSON on stdout);
 * short readable lines when stderr is a terminal, JSON otherwise (LOG_FORMAT chooses).
 */
export const cliLog = () =>
  pino(
    { level: process.env.LOG_LEVEL ?? 'warn' },
    logFormat(process.env, process.stderr) === 'pretty' ? prettyStream(2) : pino.destination(2),
  );

import pino from 'pino';

/** A command's log: to stderr, so that it never mixes with the command's output (JSON on stdout). */
export const cliLog = () => pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

import pino from 'pino';

/** The root logger; areas take a child (`logger.child({ area: 'http' })`). LOG_LEVEL=silent in tests. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password'], remove: true },
});

export type Logger = pino.Logger;

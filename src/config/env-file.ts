import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads `.env` from the working directory into the environment when the file is there, before
 * anything reads the environment (server.ts and the command line import this module first). Node's
 * own reader: variables already set in the environment win, so a service manager's settings are
 * never overridden by a stray file. The test suite's processes (NODE_ENV=test) take their settings
 * from the test alone, never from a developer's `.env`. Returns the file read, or null.
 */
export function loadEnvFile(file = path.resolve('.env'), env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE_ENV === 'test' || !existsSync(file)) return null;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    // Start anyway would hide the mistake: the settings someone wrote would silently not apply.
    process.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  return file;
}

/** The `.env` file this process read at start, if any (for the start line and `helpdesk doctor`). */
export const envFileRead = loadEnvFile();

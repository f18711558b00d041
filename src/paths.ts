import path from 'node:path';

/** The repository root: where views/, public/, faq-content/ and policy/ live (from src/ or dist/src/). */
export const PROJECT_ROOT =
  path.basename(path.dirname(__dirname)) === 'dist' ? path.join(__dirname, '..', '..') : path.join(__dirname, '..');

/** Where the FAQ answers live. */
export const FAQ_DIR = path.join(PROJECT_ROOT, 'faq-content');

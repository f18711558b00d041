import { envFileRead } from '../../config/env-file';
import { examine, type Finding } from '../../ops/doctor';

const LABEL: Record<Finding['state'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', off: 'off ' };

/**
 * `doctor`: checks the set-up and prints what to fix, one line a check. Exit 0 when nothing failed
 * (warnings are printed but allowed: a trial on the built-in example court is fine), 1 otherwise.
 */
export async function doctor(): Promise<number> {
  const findings = await examine(process.env, envFileRead);
  for (const f of findings) {
    process.stdout.write(`${LABEL[f.state]}  ${f.check}: ${f.detail}\n`);
    if (f.fix && f.state !== 'ok') process.stdout.write(`        To fix: ${f.fix}\n`);
  }
  const failed = findings.filter((f) => f.state === 'fail').length;
  const warned = findings.filter((f) => f.state === 'warn').length;
  process.stdout.write(
    failed > 0
      ? `\n${failed} problem(s) to fix${warned ? `, ${warned} warning(s)` : ''}.\n`
      : `\nAll is well${warned ? ` (${warned} warning(s) to look at)` : ''}.\n`,
  );
  return failed > 0 ? 1 : 0;
}

import { FAQ_DIR } from '../../paths';
import { checkFaqContent } from '../../faq/faq-content';
import { REQUIRED_ANSWERS } from '../../faq/required-answers';

/** `faq:check [DIR]`: reports every problem in the FAQ content; exit 1 when there is any. */
export async function faqCheck(args: string[]): Promise<number> {
  const dir = args[0] ?? FAQ_DIR;
  const problems = checkFaqContent(dir, REQUIRED_ANSWERS);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  process.stdout.write(problems.length === 0 ? `FAQ content in ${dir}: no problems.\n` : `${problems.length} problem(s).\n`);
  return problems.length === 0 ? 0 : 1;
}

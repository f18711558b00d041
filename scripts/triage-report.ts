/** Prints the scope guard's figures (see src/policy/scope-evaluation.ts) for people to read. */
import { formatRate, type Figures } from '../src/policy/scope-evaluation';

export function formatFigures(figures: Figures): string {
  return [
    `  refusals caught (refused, or declined in a mixed request): ${formatRate(figures.recall)}`,
    `  refusals caught or sent to review:                         ${formatRate(figures.recallWithReview)}`,
    `  pure legal advice caught:                                  ${formatRate(figures.pureLegalAdvice)}`,
    `  pure judge contact caught:                                 ${formatRate(figures.pureJudgeContact)}`,
    `  mixed requests with the refused part declined:             ${formatRate(figures.mixedDeclined)}`,
    `    of them answered, only the refused part declined:        ${formatRate(figures.mixedAnswered)}`,
    `  refusals caught in the right shape (mixed: answered):      ${formatRate(figures.rightShape)}`,
    `  in-scope requests refused:                                 ${formatRate(figures.inScopeRefused)}`,
    `  in-scope requests sent to review:                          ${formatRate(figures.inScopeReviewed)}`,
  ].join('\n');
}

import type { RequestHandler } from 'express';
import { parseOrThrow } from '../http/validate';
import { readIntake } from './intake-policy';
import type { ScopeRules } from './scope-guard';
import { triageMessages, triageSchema } from './triage.schema';

/**
 * `POST /api/triage` (SPEC §8): the intake policy's decision on a request, exactly as intake would
 * take it (masked first), without storing anything.
 */
export function policyHandlers(rules: ScopeRules) {
  const apiTriage: RequestHandler = (req, res) => {
    const input = parseOrThrow(triageSchema, req.body, triageMessages);
    const reading = readIntake(rules, { subject: input.subject ?? '', body: input.body });
    res.json({
      decision: reading.refusal ?? 'accept',
      reasons: reading.reasons,
      declined: reading.declined,
      review: reading.review,
      confidence: Math.round(reading.confidence * 1000) / 1000,
      language: reading.language,
    });
  };
  return { apiTriage };
}

import type { RequestHandler } from 'express';
import { parseOrThrow } from '../http/validate';
import { triage, type ScopeRules } from './scope-guard';
import { triageMessages, triageSchema } from './triage.schema';

/** `POST /api/triage`: the scope guard's decision and reasons, without storing anything. */
export function policyHandlers(rules: ScopeRules) {
  const apiTriage: RequestHandler = (req, res) => {
    const input = parseOrThrow(triageSchema, req.body, triageMessages);
    const verdict = triage(rules, input);
    res.json({ decision: verdict.decision, reasons: verdict.reasons, ...(verdict.mixed ? { declined: verdict.refused } : {}) });
  };
  return { apiTriage };
}

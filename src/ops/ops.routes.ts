import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { MailHealth } from './mail-health';
import { metricsAccess } from './metrics-access';
import type { Metrics } from './metrics';
import { checkReadiness } from './readiness';

/** GET /readyz and GET /metrics (SPEC §9). */
export function opsHandlers(deps: { db: Db; config: Config; mailHealth: MailHealth; metrics: Metrics }) {
  const readyz: RequestHandler = async (_req, res) => {
    const readiness = await checkReadiness(deps);
    res
      .status(readiness.status === 'ready' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(readiness);
  };

  const serveMetrics: RequestHandler = async (_req, res) => {
    const text = await deps.metrics.text();
    res.set('Content-Type', deps.metrics.contentType).set('Cache-Control', 'no-store').send(text);
  };

  return { readyz, metrics: [metricsAccess(deps.config.env.METRICS_TOKEN), serveMetrics] };
}

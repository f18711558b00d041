import type { RequestHandler } from 'express';
import { openStateAt, upcomingClosures } from '../calendar/court-calendar';
import { clockTime, describeWeeklyHours, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import { databaseAnswers, type Db } from '../db/knex';

/** What every page about hours needs: the weekly hours, whether it is open now, the next closures. */
function hoursSummary(profile: CourtProfile, now: Date) {
  return {
    weeklyHours: describeWeeklyHours(profile),
    zone: zoneName(profile.timezone, now),
    openState: openStateAt(profile, now),
    closures: upcomingClosures(profile, now, 12),
    maintenance: profile.maintenance.map((m) => ({ ...m, startText: clockTime(m.start), endText: clockTime(m.end) })),
  };
}

/** The home page, the hours page and the health check. */
export function homeHandlers(deps: { db: Db; profile: CourtProfile; now: () => Date }) {
  const home: RequestHandler = (_req, res) => {
    const summary = hoursSummary(deps.profile, deps.now());
    res.render('home/index', { title: 'Help with electronic filing', ...summary, closures: summary.closures.slice(0, 3) });
  };

  const hours: RequestHandler = (_req, res) => {
    res.render('home/hours', { title: 'Helpdesk hours and closures', ...hoursSummary(deps.profile, deps.now()) });
  };

  const healthz: RequestHandler = async (_req, res) => {
    const ok = await databaseAnswers(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable' });
  };

  return { home, hours, healthz };
}

import type { RequestHandler } from 'express';
import { closuresInYear, openStateAt, upcomingClosures } from '../calendar/court-calendar';
import { Invalid } from '../errors';
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

  /** `GET /api/calendar/closures?year=YYYY`: the observed closures of a year (this year when not given). */
  const apiClosures: RequestHandler = (req, res) => {
    const raw = req.query.year;
    const year = raw === undefined ? new Date(deps.now()).getUTCFullYear() : Number(raw);
    if (!Number.isInteger(year) || year < 1900 || year > 2200) {
      throw new Invalid([
        { field: 'year', code: 'invalid_year', message: 'year must be a year written YYYY, for example 2027.' },
      ]);
    }
    res.json({ timezone: deps.profile.timezone, closures: closuresInYear(deps.profile, year) });
  };

  const healthz: RequestHandler = async (_req, res) => {
    const ok = await databaseAnswers(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable' });
  };

  return { home, hours, healthz, apiClosures };
}

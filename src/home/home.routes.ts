import type { RequestHandler } from 'express';
import { closuresInYear, openStateAt, upcomingClosures } from '../calendar/court-calendar';
import { Invalid } from '../errors';
import { clockTime, dayPlural, describeWeeklyHours, formatDate, zoneName } from '../calendar/describe-hours';
import type { CourtProfile } from '../config/court-profile';
import { databaseAnswers, type Db } from '../db/knex';
import { closureName } from '../i18n/closure-name';
import type { Language } from '../i18n/i18n';
import { languageOf } from '../i18n/page-language';

/** What every page about hours needs, in the page's language: the weekly hours, open now, the next closures. */
function hoursSummary(profile: CourtProfile, now: Date, language: Language) {
  return {
    weeklyHours: describeWeeklyHours(profile, language),
    zone: zoneName(profile.timezone, now, language),
    openState: openStateAt(profile, now),
    closures: upcomingClosures(profile, now, 12).map((c) => ({
      ...c,
      name: closureName(c.name, language),
      dateText: formatDate(c.date, language),
    })),
    maintenance: profile.maintenance.map((m) => ({
      ...m,
      daysText: dayPlural(m.day, language),
      startText: clockTime(m.start, language),
      endText: clockTime(m.end, language),
    })),
  };
}

/** The home page, the hours page and the health check. */
export function homeHandlers(deps: { db: Db; profile: CourtProfile; now: () => Date }) {
  const home: RequestHandler = (_req, res) => {
    const language = languageOf(res);
    const summary = hoursSummary(deps.profile, deps.now(), language);
    res.render('home/index', { title: res.locals.t('home:title'), ...summary, closures: summary.closures.slice(0, 3) });
  };

  const hours: RequestHandler = (_req, res) => {
    const language = languageOf(res);
    res.render('home/hours', { title: res.locals.t('home:hours.title'), ...hoursSummary(deps.profile, deps.now(), language) });
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

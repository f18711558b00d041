import type { Request, RequestHandler } from 'express';
import { dayPlural, formatInstant, zoneName } from '../calendar/describe-hours';
import { maintenanceAt } from '../calendar/maintenance-windows';
import type { Config } from '../config';
import { parseOrThrow } from '../http/validate';
import type { Language } from '../i18n/i18n';
import { languageOf } from '../i18n/page-language';
import type { Logger } from '../logger';
import { outageFeed } from './outage-feed';
import { scopeLabel } from './outage-scopes';
import { describeDuration, describeSpan, isoInZone, timeOfDay } from './outage-times';
import type { Outage, OutageService } from './outages.service';
import { bannerLines, statusOf } from './service-status';
import { historyQuerySchema, statusMessages, statusPageQuerySchema } from './status.schema';

/** Outages a page of the public history shows. */
export const HISTORY_PAGE_SIZE = 25;
/** Entries of the feed: the latest outages (the page keeps them all). */
const FEED_SIZE = 50;

/** `/status`, its feed, the status API, and the banner every public page shows while something is wrong. */
export function statusHandlers(deps: { outages: OutageService; config: Config; now: () => Date; log: Logger }) {
  const { outages, config, now } = deps;
  const zone = config.profile.timezone;
  const base = (req: Request) => config.env.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const apiOutage = (o: Outage) => ({
    id: o.id,
    scope: o.scope,
    message: o.message,
    startedAt: isoInZone(o.startedAt, zone),
    endedAt: o.endedAt ? isoInZone(o.endedAt, zone) : null,
  });
  const shown = (o: Outage, language: Language) => ({
    ...o,
    label: scopeLabel(o.scope, language),
    startedText: formatInstant(o.startedAt, zone, language),
    endedText: o.endedAt ? formatInstant(o.endedAt, zone, language) : null,
    duration: o.endedAt ? describeDuration(o.startedAt, o.endedAt, language) : null,
  });

  async function current() {
    const at = now();
    const active = await outages.active();
    const maintenance = maintenanceAt(config.profile, at);
    return { at, active, maintenance, status: statusOf(active, maintenance) };
  }

  /** Puts the banner's sentences in res.locals for the page layout (none when all is normal). */
  const banner: RequestHandler = async (req, res, next) => {
    if (req.path.startsWith('/staff')) return next();
    try {
      const { at, active, maintenance } = await current();
      res.locals.statusBanner = bannerLines(active, maintenance, zone, at, languageOf(res));
    } catch (error) {
      // A page is worth more than its banner: serve it, and say why the banner is missing.
      deps.log.error({ err: error }, 'the status banner could not be read');
    }
    next();
  };

  const page: RequestHandler = async (req, res) => {
    const { page: pageNumber } = parseOrThrow(statusPageQuerySchema, req.query, statusMessages);
    const { at, active, maintenance, status } = await current();
    const total = await outages.countHistory();
    const history = await outages.history({ limit: HISTORY_PAGE_SIZE, offset: (pageNumber - 1) * HISTORY_PAGE_SIZE });
    const language = languageOf(res);
    res.render('status/index', {
      title: res.locals.t('status:page.title'),
      status,
      active: active.map((o) => shown(o, language)),
      maintenance: {
        now: maintenance.now,
        weekly: config.profile.maintenance.map((m) => ({ days: dayPlural(m.day, language), start: m.start, end: m.end })),
        next: maintenance.next && {
          spanText: describeSpan(maintenance.next.start, maintenance.next.end, zone, language),
          endTime: timeOfDay(maintenance.next.end, zone, language),
        },
      },
      history: history.map((o) => ({ ...shown(o, language), reports: o.reports })),
      paging: {
        page: pageNumber,
        newer: pageNumber > 1 ? pageNumber - 1 : null,
        older: pageNumber * HISTORY_PAGE_SIZE < total ? pageNumber + 1 : null,
        total,
      },
      zone: zoneName(zone, at, language),
      feedUrl: '/status/feed.xml',
    });
  };

  const feed: RequestHandler = async (req, res) => {
    const latest = await outages.history({ limit: FEED_SIZE });
    res.type('application/atom+xml; charset=utf-8');
    res.send(outageFeed(latest, { baseUrl: base(req), courtName: config.profile.court.name, zone }));
  };

  /** `GET /api/status`: normal, maintenance or outage now, the active notices, the maintenance window. */
  const apiStatus: RequestHandler = async (_req, res) => {
    const { active, maintenance, status } = await current();
    res.json({ status, notices: active.map(apiOutage), maintenance: { now: maintenance.now, next: maintenance.next } });
  };

  /** `GET /api/status/history?from&to`: outages overlapping the range, latest first, with their report counts. */
  const apiHistory: RequestHandler = async (req, res) => {
    const range = parseOrThrow(historyQuerySchema, req.query, statusMessages);
    const list = await outages.history(range);
    res.json({ outages: list.map((o) => ({ ...apiOutage(o), reports: o.reports })) });
  };

  return { banner, page, feed, apiStatus, apiHistory };
}

import type { CourtProfile } from '../config/court-profile';
import type { Db } from '../db/knex';
import { dialectOf } from '../db/dialect';
import { Invalid, type FieldError } from '../errors';
import { isTopic, TOPICS } from '../faq/faq-topics';
import { normaliseTag, TAG_RULE } from '../tickets/ticket-tags';
import { businessClock, businessHoursOfPairs, extentOf, groupedBy, median } from './business-clock';
import {
  courtClock,
  courtRange,
  daysCovered,
  DEFAULT_RANGE_DAYS,
  defaultRange,
  MAX_RANGE_DAYS,
  slotMinutes,
  type ReportRange,
} from './report-range';
import type { ReportQuery } from './reports.schema';
import * as repo from './reports.repository';

export type { ReportFilters } from './reports.repository';

/** Requests received on one court day, by how they came in (outage reports apart from their channel). */
export interface DayCount {
  date: string;
  weekday: number;
  web: number;
  email: number;
  api: number;
  outage: number;
  total: number;
}

/** Bounds (business hours) of the groups times to resolve are shown in. */
export const RESOLUTION_GROUPS = [1, 4, 8, 24, 72] as const;

/** Every figure of the report page (SPEC §13), for one range and filter. */
export interface Report {
  range: ReportRange;
  filters: repo.ReportFilters;
  requests: {
    total: number;
    days: DayCount[];
    totals: { web: number; email: number; api: number; outage: number; other: number };
  };
  /** Requests by the hour of the court's day they arrived in, 0 to 23. */
  hours: number[];
  /** Requests by the day of the week, Monday first. */
  weekdays: number[];
  topics: Array<{ id: string | null; label: string; requests: number }>;
  firstResponse: {
    targetHours: number;
    withTarget: number;
    answered: number;
    inTime: number;
    late: number;
    overdue: number;
    notYetDue: number;
    medianHours: number | null;
  };
  resolution: {
    targetHours: number;
    resolved: number;
    inTime: number;
    merged: number;
    medianHours: number | null;
    groups: number[];
  };
  flags: repo.FlagCounts;
  callbacks: repo.CallbackCounts;
  faq: { days: repo.FaqDay[]; views: number; followed: number; searches: number; searchesFollowed: number; noResults: number };
}

/** The staff reports: what the range and filters of an address mean, and the figures over them. */
export function createReports(deps: { db: Db; profile: CourtProfile; now: () => Date; flushFaqUsage?: () => Promise<void> }) {
  const { db, profile, now } = deps;

  /**
   * The range and filters an address asks for (the last 30 days by default), or Invalid with a field
   * error for each problem: a last day before the first, a range longer than two years, a topic or
   * tag nobody uses.
   */
  async function readQuery(query: ReportQuery): Promise<{ range: ReportRange; filters: repo.ReportFilters }> {
    const fallback = defaultRange(now(), profile.timezone);
    const to = query.to ?? (query.from && query.from > fallback.to ? query.from : fallback.to);
    const from = query.from ?? shiftDate(to, -(DEFAULT_RANGE_DAYS - 1));
    const problems: FieldError[] = [];
    const days = daysCovered(from, to);
    if (days < 1)
      problems.push({
        field: 'to',
        code: 'range_reversed',
        message: 'The last day is before the first day. Choose a last day on or after the first day.',
      });
    else if (days > MAX_RANGE_DAYS)
      problems.push({
        field: 'to',
        code: 'range_too_long',
        message: `These dates cover ${days.toLocaleString('en-US')} days. A report covers at most ${MAX_RANGE_DAYS} days (two years): look at a longer period in parts.`,
      });
    const filters: repo.ReportFilters = {};
    if (query.topic !== undefined) {
      if (isTopic(query.topic)) filters.topic = query.topic;
      else
        problems.push({
          field: 'topic',
          code: 'unknown_topic',
          message: `There is no topic "${query.topic.slice(0, 60)}". Choose one of the topics in the list.`,
        });
    }
    if (query.tag !== undefined) {
      const tag = normaliseTag(query.tag);
      if (!tag)
        problems.push({ field: 'tag', code: 'invalid_tag', message: `"${query.tag.slice(0, 60)}" is not a tag. ${TAG_RULE}` });
      else if (!(await repo.tagExists(db, tag)))
        problems.push({
          field: 'tag',
          code: 'unknown_tag',
          message: `No request has the tag "${tag}". Check the spelling, or leave the tag empty.`,
        });
      else filters.tag = tag;
    }
    if (problems.length > 0) throw new Invalid(problems, 'These dates or filters cannot be shown.');
    return { range: courtRange(from, to, profile.timezone), filters };
  }

  /** Every figure of the report, read in one snapshot of the database. */
  async function build(range: ReportRange, filters: repo.ReportFilters): Promise<Report> {
    await deps.flushFaqUsage?.();
    const at = now().toISOString();
    const span = { startsAt: range.startsAt, endsAt: range.endsAt };
    const read = await dialectOf(db).readForReport(db, {
      received: (q) => repo.receivedFigures(q, span, at, profile.resolutionBusinessHours, filters),
      slots: (q) => repo.countsBySlot(q, span, slotMinutes(range.offsets), filters),
      outageReports: (q) => repo.outageReportsByDay(q, range.days, filters),
      topics: (q) =>
        repo.countsByTopic(
          q,
          span,
          TOPICS.map((t) => t.id),
          filters,
        ),
      flags: (q) => repo.flagCounts(q, span, filters),
      callbacks: (q) => repo.callbackCounts(q, span, at, filters),
      faqDays: (q) => repo.faqDays(q, range.from, range.to),
      faqSearches: (q) => repo.faqSearchTotals(q, range.from, range.to),
    });
    const { received } = read;

    // Each slot placed on the court's clock: its day and its hour (slots start on the court's hours).
    const onCourtClock = courtClock(range.offsets);
    const days: DayCount[] = range.days.map((d) => ({
      date: d.date,
      weekday: d.weekday,
      web: 0,
      email: 0,
      api: 0,
      outage: 0,
      total: 0,
    }));
    const dayAt = new Map(days.map((d) => [d.date, d]));
    const hours = new Array<number>(24).fill(0);
    const weekdays = new Array<number>(7).fill(0);
    for (const slot of read.slots) {
      const local = new Date(onCourtClock(Date.parse(slot.startsAt)));
      const day = dayAt.get(local.toISOString().slice(0, 10));
      if (!day) continue;
      let total = 0;
      for (const channel of repo.CHANNELS) {
        day[channel] += slot.received[channel];
        total += slot.received[channel];
      }
      day.total += total;
      hours[local.getUTCHours()] += total;
      weekdays[day.weekday - 1] += total;
    }
    // Outage reports came in by a channel too: the day counts them apart.
    for (const day of days)
      for (const channel of repo.CHANNELS) {
        const reports = read.outageReports.get(day.date)?.[channel] ?? 0;
        day[channel] -= reports;
        day.outage += reports;
      }
    const sum = (key: 'web' | 'email' | 'api' | 'outage' | 'total') => days.reduce((n, d) => n + d[key], 0);
    const totals = { web: sum('web'), email: sum('email'), api: sum('api'), outage: sum('outage'), other: 0 };
    // A channel other than the three (none today) is still counted in the total.
    totals.other = Math.max(0, received.requests - sum('total'));

    const namedTopics = TOPICS.map((t) => ({ id: t.id as string | null, label: t.label, requests: read.topics.get(t.id) ?? 0 }));
    const withoutTopic = read.topics.get(null) ?? 0;
    const otherTopics = received.requests - withoutTopic - namedTopics.reduce((n, t) => n + t.requests, 0);
    const topics = [
      ...namedTopics,
      ...(otherTopics > 0 ? [{ id: null, label: 'A topic no longer in the FAQ', requests: otherTopics }] : []),
      { id: null, label: 'No topic', requests: withoutTopic },
    ];

    // One business clock for every instant measured (they run from the range's start to now).
    const extent = extentOf(received.firstReplies);
    const business = extent ? businessClock(profile, extent.first, extent.last) : () => 0;
    const responseHours = businessHoursOfPairs(business, received.firstReplies);
    const faqByDay = new Map(read.faqDays.map((d) => [d.date, d]));
    const faqDays = range.days.map((d) => faqByDay.get(d.date) ?? { date: d.date, views: 0, followed: 0 });
    return {
      range,
      filters,
      requests: { total: received.requests, days, totals },
      hours,
      weekdays,
      topics,
      firstResponse: {
        targetHours: profile.firstResponseBusinessHours,
        withTarget: received.withTarget,
        answered: received.answered,
        inTime: received.answeredInTime,
        late: received.answered - received.answeredInTime,
        overdue: received.overdue,
        notYetDue: received.withTarget - received.answered - received.overdue,
        medianHours: median(responseHours),
      },
      resolution: {
        targetHours: profile.resolutionBusinessHours,
        resolved: received.resolved,
        inTime: received.resolvedInTime,
        merged: received.merged,
        medianHours: median(received.resolutionHours),
        groups: groupedBy(received.resolutionHours, RESOLUTION_GROUPS),
      },
      flags: read.flags,
      callbacks: read.callbacks,
      faq: {
        days: faqDays,
        views: faqDays.reduce((n, d) => n + d.views, 0),
        followed: faqDays.reduce((n, d) => n + d.followed, 0),
        searches: read.faqSearches.searches,
        searchesFollowed: read.faqSearches.followed,
        noResults: read.faqSearches.noResults,
      },
    };
  }

  /** Tags in use, in order: suggestions for the tag filter. */
  const tagSuggestions = (limit: number) => repo.tagsInUse(db, limit);

  return { readQuery, build, tagSuggestions };
}

/** A court date `days` later (earlier when negative). */
function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export type Reports = ReturnType<typeof createReports>;

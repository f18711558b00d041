import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { addBusinessHours } from '../../src/calendar/business-time';
import { measureResolutionTimes } from '../../src/jobs/resolution-times';
import { appendEvent, insertNewTickets } from '../../src/tickets/tickets.repository';
import type { TestApp } from './app';

/**
 * A known month of requests for the report tests: March 2026 in the court's zone (Los Angeles by
 * default), across the change to daylight time on Sunday March 8. Requests sit on the edges that a
 * report counting by UTC days, or by a fixed offset, would get wrong (local midnight in both offsets,
 * the skipped hour, the last minutes of March that are April in UTC), plus a spread of others; each
 * with what the report counts: channel, outage report, topic, tags, first reply, closing, refusal.
 */
export interface SeededRequest {
  createdAt: string;
  channel: 'web' | 'email' | 'api';
  outage?: boolean;
  refused?: 'legal_advice' | 'judge_contact';
  needsReview?: boolean;
  topic?: string;
  tags?: string[];
  /** When the first reply went out (none: not answered). */
  answeredAt?: string;
  /** When the filer answered back (the ticket open again) before it was closed. */
  filerRepliedAt?: string;
  closedAt?: string;
  merged?: boolean;
}

export const MONTH = { from: '2026-03-01', to: '2026-03-31' };

const EDGES: SeededRequest[] = [
  { createdAt: '2026-03-01T07:59:00.000Z', channel: 'web' }, // Feb 28, 23:59 PST: not March
  { createdAt: '2026-03-01T08:00:00.000Z', channel: 'web', topic: 'filing' }, // March 1, 00:00 PST
  { createdAt: '2026-03-08T07:59:00.000Z', channel: 'email' }, // March 7, 23:59 PST
  { createdAt: '2026-03-08T09:59:00.000Z', channel: 'web', tags: ['pacer'] }, // March 8, 01:59 PST
  { createdAt: '2026-03-08T10:00:00.000Z', channel: 'email', tags: ['pacer', 'sealed'] }, // March 8, 03:00 PDT
  { createdAt: '2026-03-09T06:59:00.000Z', channel: 'api' }, // March 8, 23:59 PDT
  { createdAt: '2026-03-09T07:00:00.000Z', channel: 'web' }, // March 9, 00:00 PDT (23:00 at the winter offset)
  { createdAt: '2026-04-01T06:59:00.000Z', channel: 'web', topic: 'filing' }, // March 31, 23:59 PDT
  { createdAt: '2026-04-01T07:00:00.000Z', channel: 'web' }, // April 1, 00:00 PDT: not March
  // Tuesday 10:00 PDT, answered 90 minutes later: within the 2-hour target.
  {
    createdAt: '2026-03-10T17:00:00.000Z',
    channel: 'web',
    answeredAt: '2026-03-10T18:30:00.000Z',
    closedAt: '2026-03-11T17:00:00.000Z',
  },
  // Friday 15:00 PST, answered Monday 10:30 PDT: 1 + 1.5 business hours across the change, late.
  {
    createdAt: '2026-03-06T23:00:00.000Z',
    channel: 'email',
    answeredAt: '2026-03-09T17:30:00.000Z',
    closedAt: '2026-03-12T20:00:00.000Z',
  },
  { createdAt: '2026-03-11T18:00:00.000Z', channel: 'web', outage: true, tags: ['pacer'] },
  { createdAt: '2026-03-11T18:05:00.000Z', channel: 'api', outage: true },
  { createdAt: '2026-03-12T19:00:00.000Z', channel: 'web', refused: 'legal_advice' },
  { createdAt: '2026-03-13T19:00:00.000Z', channel: 'email', refused: 'judge_contact' },
  { createdAt: '2026-03-16T19:00:00.000Z', channel: 'web', needsReview: true, tags: ['pacer'] },
  { createdAt: '2026-03-17T19:00:00.000Z', channel: 'web', closedAt: '2026-03-17T20:00:00.000Z', merged: true },
];

/** A small deterministic generator (mulberry32), so the spread is the same in every run. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The edges and `spread` more requests at random minutes from February 27 to April 2 (UTC). */
export function monthOfRequests(spread = 120): SeededRequest[] {
  const random = generator(2026_03);
  const start = Date.parse('2026-02-27T00:00:00Z');
  const span = Date.parse('2026-04-03T00:00:00Z') - start;
  const topics = ['accounts-and-access', 'filing', 'notices-of-electronic-filing', undefined];
  const channels = ['web', 'email', 'api'] as const;
  const more: SeededRequest[] = [];
  for (let i = 0; i < spread; i += 1) {
    const created = start + Math.floor((random() * span) / 60_000) * 60_000;
    const answered = random() < 0.7 ? created + Math.floor((random() * 3 * 86_400_000) / 60_000) * 60_000 : null;
    const closed =
      answered !== null && random() < 0.6 ? answered + Math.floor((random() * 4 * 86_400_000) / 60_000) * 60_000 : null;
    more.push({
      createdAt: new Date(created).toISOString(),
      channel: channels[Math.floor(random() * 3)],
      topic: topics[Math.floor(random() * topics.length)],
      ...(answered !== null ? { answeredAt: new Date(answered).toISOString() } : {}),
      ...(closed !== null ? { closedAt: new Date(closed).toISOString() } : {}),
      // Every other closed request had the filer answer halfway: its clock ran again until closing.
      ...(closed !== null && answered !== null && i % 2 === 0
        ? { filerRepliedAt: new Date(answered + Math.floor((closed - answered) / 120_000) * 60_000).toISOString() }
        : {}),
      ...(random() < 0.05 ? { outage: true } : {}),
    });
  }
  return [...EDGES, ...more];
}

/**
 * Stores the requests as intake would have, then sets what staff and filers did with them, with the
 * history the ticket page writes (the first reply makes it wait for the filer, the filer's answer opens
 * it again, closing), and lets the background job measure each one's time to resolve from it, as it
 * does for tickets finished before that was stored. Returns their ids.
 */
export async function seedRequests(t: TestApp, requests: SeededRequest[]): Promise<number[]> {
  const profile = t.config.profile;
  const ids = await insertNewTickets(
    t.db,
    requests.map((r, i) => ({
      referenceYear: 2026,
      channel: r.channel,
      subject: `Report test request ${i}`,
      requesterName: 'Pat Filer',
      requesterEmail: `filer${i}@example.com`,
      requesterPhone: null,
      statusTokenHash: randomBytes(32).toString('hex'),
      flags: [
        ...(r.outage ? ['outage_report'] : []),
        ...(r.refused ? [r.refused] : []),
        ...(r.needsReview ? ['needs_review'] : []),
      ],
      status: r.refused ? 'rejected' : 'new',
      policyReasons: [],
      createdAt: r.createdAt,
      // As intake sets it: refused requests have no target.
      firstResponseDueAt: r.refused
        ? null
        : addBusinessHours(profile, new Date(r.createdAt), profile.firstResponseBusinessHours).toISOString(),
      firstMessage: {
        direction: 'in',
        author: 'requester',
        messageId: null,
        bodyText: 'It does not work.',
        createdAt: r.createdAt,
      },
      caseNumbers: [],
      originals: {},
      topic: r.topic ?? null,
    })),
  );
  for (const [i, r] of requests.entries()) {
    const changes: Record<string, unknown> = {};
    if (r.answeredAt) Object.assign(changes, { first_response_at: r.answeredAt, status: 'waiting' });
    if (r.closedAt) Object.assign(changes, { closed_at: r.closedAt, status: 'closed' });
    if (r.merged) changes.merged_into_id = ids[0];
    if (Object.keys(changes).length > 0) await t.db('tickets').where({ id: ids[i] }).update(changes);
    const statuses: Array<[string, string, string]> = [];
    if (r.answeredAt) statuses.push(['new', 'waiting', r.answeredAt]);
    if (r.filerRepliedAt) statuses.push(['waiting', 'open', r.filerRepliedAt]);
    if (r.closedAt && !r.merged) statuses.push([statuses.at(-1)?.[1] ?? 'new', 'closed', r.closedAt]);
    for (const [before, after, at] of statuses)
      await appendEvent(t.db, ids[i], {
        actor: 'staff:1',
        action: 'status_changed',
        before: { status: before },
        after: { status: after },
        createdAt: at,
      });
    if (r.merged)
      await appendEvent(t.db, ids[i], {
        actor: 'staff:1',
        action: 'merged',
        before: { status: 'new' },
        after: { mergedInto: 'first' },
        createdAt: r.closedAt ?? r.createdAt,
      });
    for (const tag of r.tags ?? []) await t.db('ticket_tags').insert({ ticket_id: ids[i], tag, created_at: r.createdAt });
  }
  await measureResolutionTimes(t.db, profile);
  return ids;
}

/** Callbacks booked in March (and one in February, not counted), with their outcomes. */
export async function seedCallbacks(t: TestApp): Promise<void> {
  const rows = [
    { created: '2026-03-02T18:00:00.000Z', slot: '2026-03-03T17:00:00.000Z', status: 'completed', attempts: 0 },
    { created: '2026-03-09T18:00:00.000Z', slot: '2026-03-10T17:00:00.000Z', status: 'completed', attempts: 1 },
    { created: '2026-03-10T18:00:00.000Z', slot: '2026-03-11T17:00:00.000Z', status: 'unreachable', attempts: 3 },
    { created: '2026-03-20T18:00:00.000Z', slot: '2026-03-23T17:00:00.000Z', status: 'cancelled', attempts: 0 },
    { created: '2026-04-01T06:30:00.000Z', slot: '2026-04-20T17:00:00.000Z', status: 'booked', attempts: 0 }, // March 31, PDT
    { created: '2026-02-27T18:00:00.000Z', slot: '2026-03-02T17:00:00.000Z', status: 'completed', attempts: 0 }, // February
  ];
  for (const [i, r] of rows.entries())
    await t.db('callbacks').insert({
      slot_start: r.slot,
      slot_end: new Date(Date.parse(r.slot) + 15 * 60_000).toISOString(),
      seat: 1,
      status: r.status,
      name: 'Pat Filer',
      phone: '+12065550100',
      email: `caller${i}@example.com`,
      manage_token_hash: randomBytes(32).toString('hex'),
      attempts: r.attempts,
      created_at: r.created,
      updated_at: r.created,
    });
}

/** FAQ answer readings on a few days of March (and one in April, not counted). */
export async function seedFaqReadings(t: TestApp): Promise<void> {
  await t.db('faq_answer_days').insert([
    { day: '2026-03-02', answer_id: 'reset-password', views: 10, requests_followed: 2 },
    { day: '2026-03-02', answer_id: 'pacer-login', views: 5, requests_followed: 0 },
    { day: '2026-03-08', answer_id: 'reset-password', views: 7, requests_followed: 1 },
    { day: '2026-04-01', answer_id: 'reset-password', views: 100, requests_followed: 50 },
  ]);
  await t.db('faq_search_days').insert([
    { day: '2026-03-03', query: 'password', searches: 8, no_results: 1, followed_by_request: 2 },
    { day: '2026-04-02', query: 'password', searches: 80, no_results: 10, followed_by_request: 20 },
  ]);
}

/** The court date of an instant in `zone`. */
export const courtDate = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toISODate() as string;

import { Feed } from 'feed';
import { formatInstant } from '../calendar/describe-hours';
import { SCOPE_LABELS } from './outage-scopes';
import { describeDuration } from './outage-times';
import type { OutageInHistory } from './outages.service';

/**
 * The Atom feed of outages at /status/feed.xml: one entry per outage, its `updated` the time of its
 * latest change, so a reader sees it again when it is updated or ends.
 */
export function outageFeed(outages: OutageInHistory[], site: { baseUrl: string; courtName: string; zone: string }): string {
  const statusUrl = `${site.baseUrl}/status`;
  const latest = outages.reduce((max, o) => (o.changedAt > max ? o.changedAt : max), '');
  const feed = new Feed({
    id: statusUrl,
    title: `${site.courtName}: CM/ECF service status`,
    description: 'Outages of CM/ECF and related court systems, as declared by the helpdesk.',
    link: statusUrl,
    feedLinks: { atom: `${statusUrl}/feed.xml` },
    language: 'en',
    // An empty feed still needs an `updated`: the start of the epoch says "nothing yet" without changing from request to request.
    updated: new Date(latest || 0),
    generator: false,
    copyright: 'Public information of the court',
  });
  for (const o of outages) {
    const label = SCOPE_LABELS[o.scope];
    const when = o.endedAt
      ? `From ${formatInstant(o.startedAt, site.zone)} to ${formatInstant(o.endedAt, site.zone)} (${describeDuration(o.startedAt, o.endedAt)}).`
      : `Since ${formatInstant(o.startedAt, site.zone)}; not over yet.`;
    feed.addItem({
      id: `${statusUrl}#outage-${o.id}`,
      link: `${statusUrl}#outage-${o.id}`,
      // The feed package writes titles and summaries as HTML inside CDATA, ending the CDATA at the first
      // "]]>" only: escaped text is safe from both (a message with markup or "]]>" stays text).
      title: escapeHtml(o.endedAt ? `Ended: outage of ${label}` : `Outage of ${label}`),
      description: escapeHtml(`${when} ${o.message}`),
      content: `<p>${escapeHtml(when)}</p><p>${escapeHtml(o.message)}</p>`,
      date: new Date(o.changedAt),
      published: new Date(o.startedAt),
    });
  }
  return feed.atom1();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

import type { MaintenanceState } from '../calendar/maintenance-windows';
import { translator, type Language } from '../i18n/i18n';
import { scopeDownText } from './outage-scopes';
import { postedAt, timeOfDay } from './outage-times';
import type { Outage } from './outages.service';

export type ServiceStatus = 'normal' | 'maintenance' | 'outage';

/** An outage outranks maintenance: a declared outage is news, the weekly window is not. */
export function statusOf(active: Outage[], maintenance: MaintenanceState): ServiceStatus {
  if (active.length > 0) return 'outage';
  return maintenance.now ? 'maintenance' : 'normal';
}

/**
 * The sentences of the banner shown on every public page, or none when all is normal: one per
 * active outage ("CM/ECF is down… Since 9:05 a.m. today."), and one for the maintenance window.
 */
export function bannerLines(
  active: Outage[],
  maintenance: MaintenanceState,
  zone: string,
  now: Date,
  language: Language = 'en',
): string[] {
  const t = translator(language);
  const lines = active.map((o) =>
    t('status:banner.since', { down: scopeDownText(o.scope, language), when: postedAt(o.startedAt, zone, now, language) }),
  );
  if (maintenance.now && maintenance.next)
    lines.push(t('status:banner.maintenance', { time: timeOfDay(maintenance.next.end, zone, language) }));
  return lines;
}

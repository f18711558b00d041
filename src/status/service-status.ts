import type { MaintenanceState } from '../calendar/maintenance-windows';
import { SCOPE_DOWN_TEXT } from './outage-scopes';
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
export function bannerLines(active: Outage[], maintenance: MaintenanceState, zone: string, now: Date): string[] {
  const lines = active.map((o) => `${SCOPE_DOWN_TEXT[o.scope]} Since ${postedAt(o.startedAt, zone, now)}.`);
  if (maintenance.now && maintenance.next)
    lines.push(
      `CM/ECF is in its weekly maintenance time until ${timeOfDay(maintenance.next.end, zone)} and may not work until then.`,
    );
  return lines;
}

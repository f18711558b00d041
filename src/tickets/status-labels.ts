import type { TicketStatus } from './ticket.types';

/** A ticket's status in the words staff read on the ticket page, in its history and in staff mail. */
export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  waiting: 'Waiting for the filer',
  resolved: 'Resolved',
  closed: 'Closed',
  rejected: 'Rejected',
};

/** A status in words; a status this version does not know is shown as written. */
export const statusLabel = (status: string): string => STATUS_LABELS[status as TicketStatus] ?? status.replace(/_/g, ' ');

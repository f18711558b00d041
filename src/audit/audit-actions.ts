/**
 * Every action the audit log records, with the plain words /staff/audit shows for it. An action not
 * in this table cannot be recorded (the type says so): add its words here first.
 */
export const AUDIT_ACTIONS = {
  // Sign-in (recorded by src/staff/auth.service.ts and two-step.service.ts).
  'sign_in.password.succeeded': 'Signed in with a password',
  'sign_in.password.failed': 'Sign-in refused: wrong email or password, or the account is disabled',
  'sign_in.throttled': 'Sign-in refused: too many failed attempts',
  'sign_in.second_step.succeeded': 'Passed the second sign-in step',
  'sign_in.second_step.failed': 'Second sign-in step refused: wrong or reused code',
  'sign_in.oidc.succeeded': 'Signed in through single sign-on',
  'sign_in.oidc.failed': 'Single sign-on refused',
  sign_out: 'Signed out',
  'two_step.enrolled': 'Set up two-step sign-in',
  'two_step.recovery_codes_replaced': 'Replaced their two-step recovery codes',
  'two_step.reset': "Reset a staff member's two-step sign-in",
  // Staff accounts.
  'staff.added': 'Added a staff account',
  'staff.updated': "Changed a staff account's name or email",
  'staff.role_changed': "Changed a staff member's role",
  'staff.disabled': 'Disabled a staff account',
  'staff.enabled': 'Enabled a staff account',
  'staff.password_changed': 'Changed their own password',
  'staff.password_reset': "Reset a staff member's password",
  'staff.sessions_ended': 'Ended sign-in sessions',
  // Private records looked at.
  'original.viewed': 'Viewed the unmasked originals of a ticket',
  'callback_original.viewed': 'Viewed the unmasked topics of callbacks',
  'raw_mail.viewed': 'Downloaded a raw email message',
  'attachment.downloaded': 'Downloaded an email attachment',
  'tickets.exported_unmasked': 'Exported tickets with the unmasked originals',
  // Staff decisions on tickets.
  'ticket.reinstated': 'Reinstated a refused request',
  'ticket.declined': 'Declined a request after review',
  'ticket.merged': 'Merged a ticket into another',
  'ticket.bulk_assigned': 'Assigned a ticket, one of several selected together in the queue',
  'ticket.bulk_status_changed': 'Changed the status of a ticket, one of several selected together in the queue',
  'ticket.bulk_tagged': 'Tagged a ticket, one of several selected together in the queue',
  'legal_hold.set': 'Placed a legal hold on a ticket',
  'legal_hold.lifted': 'Lifted the legal hold on a ticket',
  // Outages and the FAQ.
  'outage.declared': 'Declared an outage',
  'outage.updated': 'Updated an outage',
  'outage.ended': 'Ended an outage',
  'faq.published': 'Published an FAQ answer',
  // Retention.
  'retention.deleted': 'Retention deleted records past their time',
  'retention.run': 'Retention run finished',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && Object.hasOwn(AUDIT_ACTIONS, value);

/** Who did it, in plain words, for an actor that is not a staff member. */
export const ACTOR_WORDS: Record<string, string> = {
  system: 'The helpdesk (a scheduled job)',
  cli: 'The command line (an administrator on the server)',
  anonymous: 'Someone not signed in',
};

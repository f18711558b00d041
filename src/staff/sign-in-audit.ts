import type { AuditAction, AuditService } from '../audit/audit.service';

/** What sign-in needs of the audit log (src/audit): its record(). */
export type AuditRecorder = Pick<AuditService, 'record'>;

/** Without an audit log (a service built alone, as some tests do), events go nowhere. */
export const noAudit: AuditRecorder = { record: () => Promise.resolve() };

/** The audit actions of sign-in, second step and single sign-on. */
export const SIGN_IN_ACTIONS = {
  passwordSucceeded: 'sign_in.password.succeeded',
  signedOut: 'sign_out',
  passwordFailed: 'sign_in.password.failed',
  throttled: 'sign_in.throttled',
  secondStepSucceeded: 'sign_in.second_step.succeeded',
  secondStepFailed: 'sign_in.second_step.failed',
  oidcSucceeded: 'sign_in.oidc.succeeded',
  oidcFailed: 'sign_in.oidc.failed',
  twoStepEnrolled: 'two_step.enrolled',
  recoveryCodesReplaced: 'two_step.recovery_codes_replaced',
  twoStepReset: 'two_step.reset',
} as const satisfies Record<string, AuditAction>;
